using System.Text.Json;
using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.Vault;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

/// <summary>Keeps the fake Vault honest: the real <c>node-vault</c> client makes the plugin's calls against it and must see what the plugin sees.</summary>
public sealed class VaultNodeContractTests
{
    [Fact]
    public async Task NodeVaultClient_AndPlugin_SeeTheSameVault()
    {
        await using var h = await VaultHarness.StartAsync(options: new FakeVaultOptions { Namespace = "team-a" });
        h.Vault.WriteKv2("secret/app", new { token = "first" });
        h.Vault.WriteKv2("secret/app", new { token = "second", user = "bot" });
        h.Vault.WriteKv1("kv1/app", new { api_key = "k-1" });
        h.Vault.AddDatabaseRole("ro", TimeSpan.FromMinutes(5));
        var (roleId, secretId) = h.Vault.AddAppRole("contract", TimeSpan.FromMinutes(20));

        var output = await NodeRunner.RunAsync(
            Path.Combine(AppContext.BaseDirectory, "HashiCorpVault", "vault-contract.js"),
            new Dictionary<string, string>
            {
                ["VAULT_ADDR"] = h.Vault.Address.ToString().TrimEnd('/'),
                ["VAULT_NAMESPACE"] = "team-a",
                ["ROLE_ID"] = roleId,
                ["SECRET_ID"] = secretId,
            },
            TimeSpan.FromSeconds(60));
        using var doc = JsonDocument.Parse(output);
        var node = doc.RootElement;

        Assert.True(node.GetProperty("login").GetProperty("has_token").GetBoolean());
        Assert.Equal(1200, node.GetProperty("login").GetProperty("lease_duration").GetInt32());
        Assert.True(node.GetProperty("login").GetProperty("renewable").GetBoolean());
        Assert.True(node.GetProperty("lookup_self").GetProperty("ttl_positive").GetBoolean());
        Assert.Equal(600, node.GetProperty("renew_self").GetProperty("lease_duration").GetInt32());
        Assert.Equal("second", node.GetProperty("kv2").GetProperty("data").GetProperty("token").GetString());
        Assert.Equal(2, node.GetProperty("kv2").GetProperty("version").GetInt32());
        Assert.Equal("first", node.GetProperty("kv2v1").GetProperty("data").GetProperty("token").GetString());
        Assert.Equal("k-1", node.GetProperty("kv1").GetProperty("data").GetProperty("api_key").GetString());
        Assert.Equal(string.Empty, node.GetProperty("kv1").GetProperty("lease_id").GetString());
        Assert.Equal(["password", "username"], node.GetProperty("creds").GetProperty("fields").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("database/creds/ro", node.GetProperty("creds").GetProperty("lease_prefix").GetString());
        Assert.True(node.GetProperty("renewed").GetProperty("same_lease").GetBoolean());
        Assert.Equal(120, node.GetProperty("renewed").GetProperty("lease_duration").GetInt32());
        var statuses = node.GetProperty("statuses");
        Assert.Equal(400, statuses.GetProperty("renew_after_revoke").GetInt32());
        Assert.Equal(404, statuses.GetProperty("missing").GetInt32());
        Assert.Equal(400, statuses.GetProperty("bad_login").GetInt32());
        Assert.Equal(403, statuses.GetProperty("denied").GetInt32());

        // The plugin, with the same role, reads the same values through the same calls.
        h.Bootstrap["env:R"] = roleId;
        h.Bootstrap["env:S"] = secretId;
        var store = (ILeasingSecretStore)h.CreateStore("""{ "address": "{address}", "namespace": "team-a", "auth": { "method": "approle", "role_id": "env:R", "secret_id": "env:S" } }""");
        var kv2 = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        var kv2v1 = await store.GetSecretAsync(new SecretRequest("secret/data/app", new Dictionary<string, string> { ["version"] = "1" }), default);
        var kv1 = await store.GetSecretAsync(new SecretRequest("kv1/app"), default);
        var creds = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);
        var renewed = await store.RenewLeaseAsync(creds.Lease! with { Duration = TimeSpan.FromSeconds(120) }, default);
        await store.RevokeLeaseAsync(creds.Lease!, default);

        Assert.Equal(("second", "2"), (kv2.Fields["token"], kv2.Version));
        Assert.Equal(("first", "1"), (kv2v1.Fields["token"], kv2v1.Version));
        Assert.Equal("k-1", kv1.Fields["api_key"]);
        Assert.Equal(["password", "username"], creds.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(120), renewed.Duration);
        Assert.Empty(h.Vault.ActiveLeases);
    }
}
