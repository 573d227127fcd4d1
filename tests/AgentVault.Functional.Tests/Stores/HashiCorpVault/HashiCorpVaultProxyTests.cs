using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentVault.Testing.Fakes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Functional.Tests.Stores.HashiCorpVault;

/// <summary>The <c>hashicorp-vault</c> store end to end: agent → proxy → credential from (fake) Vault → upstream.</summary>
public sealed class HashiCorpVaultProxyTests(StoreProxyFixture fixture) : IClassFixture<StoreProxyFixture>
{
    private string Settings => $$"""{ "address": "{{fixture.Vault.Address}}", "auth": { "method": "token", "token": "env:E2E_VAULT_TOKEN" } }""";

    [Fact]
    public async Task KvV2Value_ReachesTheUpstream()
    {
        fixture.Vault.WriteKv2("secret/e2e-basic", new { token = "hv-basic-1" });
        using var client = await SetUpAsync("hcv-basic", "hcv-basic:secret/data/e2e-basic#token");

        await StoreScenarios.UpstreamReceivesValueAsync(fixture, client, "/hcv-basic", "Bearer hv-basic-1");
    }

    [Fact]
    public async Task ChangedValue_ReachesTheUpstreamAfterTheTtl()
    {
        fixture.Vault.WriteKv2("secret/e2e-rotate", new { token = "hv-rotate-1" });
        using var client = await SetUpAsync("hcv-rotate", "hcv-rotate:secret/data/e2e-rotate#token");

        await StoreScenarios.ChangedValueArrivesAfterTtlAsync(
            fixture, client, "/hcv-rotate", "Bearer hv-rotate-1", () => fixture.Vault.WriteKv2("secret/e2e-rotate", new { token = "hv-rotate-2" }), "Bearer hv-rotate-2");
    }

    [Fact]
    public async Task StoppedVault_CachedValueServedUntilMaxStale_Then502NamingStoreAndKey()
    {
        // A Vault of its own, so stopping it does not disturb the other tests of the class.
        await using var vault = await AgentVault.Testing.Fakes.Vault.FakeVaultServer.StartAsync();
        vault.WriteKv2("secret/e2e-stale", new { token = "hv-stale-1" });
        vault.AddRootToken(fixture.Vault.RootToken);
        var settings = $$"""{ "address": "{{vault.Address}}", "auth": { "method": "token", "token": "env:E2E_VAULT_TOKEN" } }""";
        using var client = await fixture.SetUpAsync("hcv-stale", "hashicorp-vault", settings, "1s", "8s", new Dictionary<string, string> { ["API_TOKEN"] = "hcv-stale:secret/data/e2e-stale#token" }, """{ "type": "bearer", "token": "API_TOKEN" }""");

        await StoreScenarios.StaleUntilMaxStaleThenUnavailableAsync(
            fixture, client, "/hcv-stale", "Bearer hv-stale-1", () => vault.Stopped = true, () => vault.RefusedRequests, "hcv-stale", "API_TOKEN");
    }

    [Fact]
    public async Task ConcurrentFirstRequests_CauseOneVaultRead()
    {
        fixture.Vault.WriteKv2("secret/e2e-burst", new { token = "hv-burst-1" });
        using var client = await SetUpAsync("hcv-burst", "hcv-burst:secret/data/e2e-burst#token", ttl: "5m");

        await StoreScenarios.ConcurrentFirstRequestsReadOnceAsync(
            fixture, client, "/hcv-burst", "Bearer hv-burst-1", () => fixture.Vault.RequestCount("GET", "secret/data/e2e-burst"));
    }

    [Fact]
    public async Task DatabaseCredentials_UsernameAndPasswordComeFromOneLease()
    {
        fixture.Vault.AddDatabaseRole("e2e-ro", TimeSpan.FromMinutes(10));
        using var client = await fixture.SetUpAsync(
            "hcv-db", "hashicorp-vault", Settings, "60s", "5m",
            new Dictionary<string, string> { ["DB_USER"] = "hcv-db:database/creds/e2e-ro#username", ["DB_PASSWORD"] = "hcv-db:database/creds/e2e-ro#password" },
            """{ "type": "basic", "username": "DB_USER", "password": "DB_PASSWORD" }""");

        using var response = await client.GetAsync(fixture.UpstreamUrl("/hcv-db"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lease = Assert.Single(fixture.Vault.ActiveLeases, l => l.Role == "e2e-ro");
        var basic = fixture.Upstream.AuthorizationsFor("/hcv-db")[^1];
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..]));
        Assert.StartsWith(lease.Username + ":", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreTestAndCredentialCheck_ReportOkOrTheErrorWithoutValues()
    {
        fixture.Vault.WriteKv2("secret/e2e-check", new { token = "hv-check-1" });
        using var _ = await SetUpAsync("hcv-check", "hcv-check:secret/data/e2e-check#token");
        using var __ = await fixture.SetUpAsync(
            "hcv-badtoken", "hashicorp-vault", $$"""{ "address": "{{fixture.Vault.Address}}", "auth": { "method": "token", "token": "env:E2E_NO_SUCH_TOKEN" } }""",
            "60s", "5m", new Dictionary<string, string> { ["API_TOKEN"] = "hcv-badtoken:secret/data/e2e-check#token" }, """{ "type": "bearer", "token": "API_TOKEN" }""");

        var ok = await fixture.PostApiAsync("v1/stores/hcv-check/test");
        var bad = await fixture.PostApiAsync("v1/stores/hcv-badtoken/test");
        var check = await fixture.PostApiAsync("v1/vaults/hcv-check/credentials/check");

        Assert.True(ok.GetProperty("ok").GetBoolean());
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("E2E_NO_SUCH_TOKEN", bad.GetProperty("error").GetString(), StringComparison.Ordinal);
        var entry = Assert.Single(check.EnumerateArray());
        Assert.Equal("API_TOKEN", entry.GetProperty("key").GetString());
        Assert.True(entry.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain("hv-check-1", check.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Vault.RootToken, bad.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingStore_AgentGets502NamingKeyAndStoreOnly_ServerLogAndCredentialCheckHaveTheStoresError()
    {
        const string StoreError = "backend-melted-Q7ZP3";
        await using var melted = await FakeHttpHost.StartAsync(async context =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{ "errors": ["{{StoreError}}"] }""");
        });
        var down = ClosedLoopbackAuthority();
        var cases = new[] { (Store: "hcv-melted", Address: melted.Address.AbsoluteUri, Expected: StoreError), (Store: "hcv-down", Address: $"http://{down}/", Expected: down) };

        foreach (var (store, address, expected) in cases)
        {
            using var client = await fixture.SetUpAsync(
                store, "hashicorp-vault", $$"""{ "address": "{{address}}", "auth": { "method": "token", "token": "env:E2E_VAULT_TOKEN" } }""", "1s", "0",
                new Dictionary<string, string> { ["API_TOKEN"] = store + ":secret/data/e2e-failing#token" }, """{ "type": "bearer", "token": "API_TOKEN" }""");

            using var response = await client.GetAsync(fixture.UpstreamUrl("/" + store));
            var body = await response.Content.ReadAsStringAsync();
            var answer = response.Headers + "\n" + response.Content.Headers + "\n" + body;
            var detail = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
            var check = await fixture.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", store, "--json");

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Contains("credential_unavailable", answer, StringComparison.Ordinal);
            Assert.Contains("credential 'API_TOKEN' (store '" + store + "') is unavailable", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(expected, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(new Uri(address).Authority, answer, StringComparison.Ordinal);
            Assert.True(await fixture.Broker.WaitForLogAsync(expected), $"the store's error ({expected}) is not in the server log");
            Assert.Contains(expected, check.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>host:port of a loopback port nothing listens on any more (a dial is refused at once).</summary>
    private static string ClosedLoopbackAuthority()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    private Task<HttpClient> SetUpAsync(string name, string reference, string ttl = "1s") =>
        fixture.SetUpAsync(name, "hashicorp-vault", Settings, ttl, "5m", new Dictionary<string, string> { ["API_TOKEN"] = reference }, """{ "type": "bearer", "token": "API_TOKEN" }""");
}
