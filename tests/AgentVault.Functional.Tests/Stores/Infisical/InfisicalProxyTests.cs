using System.Net;
using AgentVault.Functional.Tests.Stores.HashiCorpVault;

namespace AgentVault.Functional.Tests.Stores.Infisical;

/// <summary>The <c>infisical</c> store end to end: agent → proxy → credential from (fake) Infisical → upstream.</summary>
public sealed class InfisicalProxyTests(StoreProxyFixture fixture) : IClassFixture<StoreProxyFixture>
{
    private string Settings => $$"""
        { "site_url": "{{fixture.Infisical.Address}}", "client_id": "env:E2E_INFISICAL_CLIENT_ID", "client_secret": "env:E2E_INFISICAL_CLIENT_SECRET",
          "project_id": "{{fixture.Infisical.ProjectId}}", "project_slug": "{{fixture.Infisical.ProjectSlug}}", "environment": "prod" }
        """;

    [Fact]
    public async Task SecretByPath_ReachesTheUpstream()
    {
        fixture.Infisical.SetSecret("prod", "/payments", "E2E_BASIC", "inf-basic-1");
        using var client = await SetUpAsync("inf-basic", "inf-basic:/payments/E2E_BASIC");

        await StoreScenarios.UpstreamReceivesValueAsync(fixture, client, "/inf-basic", "Bearer inf-basic-1");
    }

    [Fact]
    public async Task ChangedValue_ReachesTheUpstreamAfterTheTtl()
    {
        fixture.Infisical.SetSecret("prod", "/", "E2E_ROTATE", "inf-rotate-1");
        using var client = await SetUpAsync("inf-rotate", "inf-rotate:/E2E_ROTATE");

        await StoreScenarios.ChangedValueArrivesAfterTtlAsync(
            fixture, client, "/inf-rotate", "Bearer inf-rotate-1", () => fixture.Infisical.SetSecret("prod", "/", "E2E_ROTATE", "inf-rotate-2"), "Bearer inf-rotate-2");
    }

    [Fact]
    public async Task StoppedInfisical_CachedValueServedUntilMaxStale_Then502NamingStoreAndKey()
    {
        fixture.Infisical.SetSecret("prod", "/", "E2E_STALE", "inf-stale-1");
        using var client = await fixture.SetUpAsync(
            "inf-stale", "infisical", Settings, "1s", "8s", new Dictionary<string, string> { ["API_TOKEN"] = "inf-stale:/E2E_STALE" }, """{ "type": "bearer", "token": "API_TOKEN" }""");
        var refusedBefore = fixture.Infisical.RefusedRequests;
        try
        {
            await StoreScenarios.StaleUntilMaxStaleThenUnavailableAsync(
                fixture, client, "/inf-stale", "Bearer inf-stale-1", () => fixture.Infisical.Stopped = true,
                () => fixture.Infisical.RefusedRequests - refusedBefore, "inf-stale", "API_TOKEN");
        }
        finally
        {
            fixture.Infisical.Stopped = false;
        }
    }

    [Fact]
    public async Task ConcurrentFirstRequests_CauseOneInfisicalRead()
    {
        fixture.Infisical.SetSecret("prod", "/", "E2E_BURST", "inf-burst-1");
        using var client = await SetUpAsync("inf-burst", "inf-burst:/E2E_BURST", ttl: "5m");

        await StoreScenarios.ConcurrentFirstRequestsReadOnceAsync(
            fixture, client, "/inf-burst", "Bearer inf-burst-1", () => fixture.Infisical.RequestCount("GET", "/api/v3/secrets/raw/E2E_BURST"));
    }

    [Fact]
    public async Task DynamicSecret_UsernameAndPasswordComeFromOneLease()
    {
        fixture.Infisical.AddDynamicSecret("prod", "/db", "e2e-pg", TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        using var client = await fixture.SetUpAsync(
            "inf-db", "infisical", Settings, "60s", "5m",
            new Dictionary<string, string> { ["DB_USER"] = "inf-db:dynamic/db/e2e-pg#DB_USERNAME", ["DB_PASSWORD"] = "inf-db:dynamic/db/e2e-pg#DB_PASSWORD" },
            """{ "type": "basic", "username": "DB_USER", "password": "DB_PASSWORD" }""");

        using var response = await client.GetAsync(fixture.UpstreamUrl("/inf-db"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lease = Assert.Single(fixture.Infisical.ActiveLeases, l => l.DynamicSecret == "e2e-pg");
        var basic = fixture.Upstream.AuthorizationsFor("/inf-db")[^1];
        var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..]));
        Assert.StartsWith(lease.Username + ":", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreTestAndCredentialCheck_ReportOkOrTheErrorWithoutValues()
    {
        fixture.Infisical.SetSecret("prod", "/", "E2E_CHECK", "inf-check-1");
        using var _ = await SetUpAsync("inf-check", "inf-check:/E2E_CHECK");
        var wrongSecret = Settings.Replace("env:E2E_INFISICAL_CLIENT_SECRET", "env:E2E_INFISICAL_CLIENT_ID", StringComparison.Ordinal);
        using var __ = await fixture.SetUpAsync(
            "inf-badsecret", "infisical", wrongSecret, "60s", "5m", new Dictionary<string, string> { ["API_TOKEN"] = "inf-badsecret:/E2E_CHECK" }, """{ "type": "bearer", "token": "API_TOKEN" }""");

        var ok = await fixture.PostApiAsync("v1/stores/inf-check/test");
        var bad = await fixture.PostApiAsync("v1/stores/inf-badsecret/test");
        var check = await fixture.PostApiAsync("v1/vaults/inf-check/credentials/check");

        Assert.True(ok.GetProperty("ok").GetBoolean());
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("login was rejected", bad.GetProperty("error").GetString(), StringComparison.Ordinal);
        var entry = Assert.Single(check.EnumerateArray());
        Assert.Equal("API_TOKEN", entry.GetProperty("key").GetString());
        Assert.True(entry.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain("inf-check-1", check.GetRawText(), StringComparison.Ordinal);
    }

    private Task<HttpClient> SetUpAsync(string name, string reference, string ttl = "1s") =>
        fixture.SetUpAsync(name, "infisical", Settings, ttl, "5m", new Dictionary<string, string> { ["API_TOKEN"] = reference }, """{ "type": "bearer", "token": "API_TOKEN" }""");
}
