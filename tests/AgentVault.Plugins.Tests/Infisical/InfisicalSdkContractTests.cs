using System.Text.Json;
using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes;

namespace AgentVault.Plugins.Tests.Infisical;

/// <summary>Keeps the fake Infisical honest: the real <c>@infisical/sdk</c> makes the plugin's calls against it and must see what the plugin sees.</summary>
public sealed class InfisicalSdkContractTests
{
    [Fact]
    public async Task InfisicalSdk_AndPlugin_SeeTheSameInfisical()
    {
        await using var h = await InfisicalHarness.StartAsync();
        h.Server.SetSecret("prod", "/payments", "STRIPE_KEY", "sk_first");
        h.Server.SetSecret("prod", "/payments", "STRIPE_KEY", "sk_second");
        h.Server.AddDynamicSecret("prod", "/db", "pg-ro", TimeSpan.FromHours(1), TimeSpan.FromHours(4));
        var (clientId, clientSecret) = h.Server.AddIdentity();

        var output = await NodeRunner.RunAsync(
            Path.Combine(AppContext.BaseDirectory, "Infisical", "infisical-contract.js"),
            new Dictionary<string, string>
            {
                ["INFISICAL_URL"] = h.Server.Address.ToString().TrimEnd('/'),
                ["CLIENT_ID"] = clientId,
                ["CLIENT_SECRET"] = clientSecret,
                ["PROJECT_ID"] = h.Server.ProjectId,
                ["PROJECT_SLUG"] = h.Server.ProjectSlug,
            },
            TimeSpan.FromSeconds(60));
        using var doc = JsonDocument.Parse(output);
        var sdk = doc.RootElement;

        Assert.True(sdk.GetProperty("token_kept_on_renew").GetBoolean());
        Assert.Equal("sk_second", sdk.GetProperty("latest").GetProperty("value").GetString());
        Assert.Equal(2, sdk.GetProperty("latest").GetProperty("version").GetInt32());
        Assert.Equal("STRIPE_KEY", sdk.GetProperty("latest").GetProperty("key").GetString());
        Assert.Equal("sk_first", sdk.GetProperty("first").GetProperty("value").GetString());
        var lease = sdk.GetProperty("lease");
        Assert.Equal(["DB_PASSWORD", "DB_USERNAME"], lease.GetProperty("fields").EnumerateArray().Select(e => e.GetString()));
        Assert.InRange(lease.GetProperty("ttl_seconds").GetInt32(), 3590, 3600);
        Assert.Equal(1800, lease.GetProperty("renewed_extra_seconds").GetInt32());
        Assert.True(lease.GetProperty("deleted_id_matches").GetBoolean());
        var statuses = sdk.GetProperty("statuses");
        Assert.Equal(404, statuses.GetProperty("missing").GetInt32());
        Assert.Equal(404, statuses.GetProperty("renew_after_delete").GetInt32());
        Assert.Equal(401, statuses.GetProperty("bad_login").GetInt32());

        // The plugin, with the same identity, reads the same values through the same calls.
        h.Bootstrap["env:I"] = clientId;
        h.Bootstrap["env:S"] = clientSecret;
        var store = (ILeasingSecretStore)h.CreateStoreFromJson($$"""
            { "site_url": "{{h.Server.Address}}", "client_id": "env:I", "client_secret": "env:S",
              "project_id": "{{h.Server.ProjectId}}", "project_slug": "{{h.Server.ProjectSlug}}", "environment": "prod" }
            """);
        var latest = await store.GetSecretAsync(new SecretRequest("/payments/STRIPE_KEY"), default);
        var first = await store.GetSecretAsync(new SecretRequest("/payments/STRIPE_KEY", new Dictionary<string, string> { ["version"] = "1" }), default);
        var leased = await store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default);
        await store.RenewLeaseAsync(leased.Lease!, default);
        await store.RevokeLeaseAsync(leased.Lease!, default);

        Assert.Equal(("sk_second", "2"), (latest.Value, latest.Version));
        Assert.Equal(("sk_first", "1"), (first.Value, first.Version));
        Assert.Equal(["DB_PASSWORD", "DB_USERNAME"], leased.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(h.Server.ActiveLeases);
    }
}
