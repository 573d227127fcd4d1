using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes.Vault;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

public sealed class VaultReadTests : IAsyncLifetime
{
    private VaultHarness _h = null!;

    public async Task InitializeAsync() => _h = await VaultHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task KvV2Read_ReturnsFieldsAndVersion()
    {
        _h.Vault.WriteKv2("secret/github", new { token = "ghp_first", user = "bot" });
        _h.Vault.WriteKv2("secret/github", new { token = "ghp_second", user = "bot" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var value = await store.GetSecretAsync(new SecretRequest("secret/data/github"), default);

        Assert.Equal("ghp_second", value.Fields["token"]);
        Assert.Equal("bot", value.Fields["user"]);
        Assert.Equal("2", value.Version);
        Assert.Null(value.Lease);
        Assert.Null(value.ExpiresAt);
    }

    [Fact]
    public async Task KvV2ReadWithVersionQuery_ReturnsThatVersion()
    {
        _h.Vault.WriteKv2("secret/github", new { token = "ghp_first" });
        _h.Vault.WriteKv2("secret/github", new { token = "ghp_second" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var value = await store.GetSecretAsync(new SecretRequest("secret/data/github", new Dictionary<string, string> { ["version"] = "1" }), default);

        Assert.Equal("ghp_first", value.Fields["token"]);
        Assert.Equal("1", value.Version);
    }

    [Fact]
    public async Task KvV2DeletedVersion_IsNotFound()
    {
        _h.Vault.WriteKv2("secret/app", new { key = "v1" });
        _h.Vault.DeleteKv2Version("secret/app", 1);
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Contains("secret/data/app", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KvV1Read_ReturnsFieldsWithoutLease()
    {
        _h.Vault.WriteKv1("kv1/app", new { api_key = "k-123", port = 5432, enabled = true });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var value = await store.GetSecretAsync(new SecretRequest("kv1/app"), default);

        Assert.Equal("k-123", value.Fields["api_key"]);
        Assert.Equal("5432", value.Fields["port"]);
        Assert.Equal("true", value.Fields["enabled"]);
        Assert.Null(value.Lease);
        Assert.Null(value.Version);
    }

    [Fact]
    public async Task LeadingSlashInPath_IsIgnored()
    {
        _h.Vault.WriteKv1("kv1/app", new { api_key = "k-123" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var value = await store.GetSecretAsync(new SecretRequest("/kv1/app"), default);

        Assert.Equal("k-123", value.Fields["api_key"]);
    }

    [Theory]
    [InlineData("secret/data/missing", SecretErrorCategory.NotFound)]
    [InlineData("kv1/missing", SecretErrorCategory.NotFound)]
    [InlineData("secret/data/../sys", SecretErrorCategory.InvalidConfiguration)]
    [InlineData("secret//x", SecretErrorCategory.InvalidConfiguration)]
    public async Task BadPath_FailsWithCategory(string path, SecretErrorCategory category)
    {
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest(path), default));

        Assert.Equal(category, ex.Category);
    }

    [Fact]
    public async Task PathOutsideTokenPolicy_IsAccessDenied()
    {
        _h.Vault.WriteKv2("secret/other", new { token = "x" });
        var token = _h.Vault.CreateToken(TimeSpan.FromHours(1), allowedPrefixes: ["secret/data/app"]);
        var store = _h.CreateTokenStore(token);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/other"), default));

        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
        Assert.DoesNotContain(token, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppedVault_IsUnavailable()
    {
        _h.Vault.WriteKv2("secret/app", new { key = "v" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);
        _h.Vault.Stopped = true;

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
    }

    [Fact]
    public async Task NothingListening_IsUnavailable()
    {
        var address = _h.Vault.Address;
        await _h.Vault.DisposeAsync();
        _h.Bootstrap["env:T"] = "t";
        var store = _h.CreateStore("""{ "address": "{address}", "auth": { "method": "token", "token": "env:T" } }""".Replace("{address}", address.ToString(), StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
    }

    [Fact]
    public async Task EveryRead_GoesToVault()
    {
        _h.Vault.WriteKv2("secret/app", new { key = "v1" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        _h.Vault.WriteKv2("secret/app", new { key = "v2" });
        var second = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("v2", second.Fields["key"]);
        Assert.Equal(2, _h.Vault.RequestCount("GET", "secret/data/app"));
    }

    [Fact]
    public async Task Namespace_IsSentOnEveryRequest()
    {
        await using var h = await VaultHarness.StartAsync(options: new FakeVaultOptions { Namespace = "team-a" });
        h.Vault.WriteKv2("secret/app", new { key = "v" });
        var (roleId, secretId) = h.Vault.AddAppRole("ns", TimeSpan.FromHours(1));
        h.Bootstrap["env:R"] = roleId;
        h.Bootstrap["env:S"] = secretId;
        var store = h.CreateStore("""{ "address": "{address}", "namespace": "team-a", "auth": { "method": "approle", "role_id": "env:R", "secret_id": "env:S" } }""");

        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("v", value.Fields["key"]);
        Assert.All(h.Vault.NamespacesSeen, ns => Assert.Equal("team-a", ns));
    }

    [Fact]
    public async Task ValueToString_DoesNotRevealTheSecret()
    {
        _h.Vault.WriteKv2("secret/app", new { key = "very-secret-value" });
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.DoesNotContain("very-secret-value", value.ToString(), StringComparison.Ordinal);
    }
}
