using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

public sealed class VaultAuthTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private VaultHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await VaultHarness.StartAsync(_time);
        _h.Vault.WriteKv2("secret/app", new { key = "value-1" });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AppRole_LogsInOnceForManyReads()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("value-1", (await store.GetSecretAsync(new SecretRequest("secret/data/app"), default)).Fields["key"]);
        }

        Assert.Equal(1, _h.Vault.Logins);
    }

    [Fact]
    public async Task AppRoleToken_IsRenewedTwoThirdsIntoItsTtl()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        _time.Advance(TimeSpan.FromMinutes(19));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        Assert.Equal(0, _h.Vault.TokenRenewals);

        _time.Advance(TimeSpan.FromMinutes(2));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal(1, _h.Vault.TokenRenewals);
        Assert.Equal(1, _h.Vault.Logins);
    }

    [Fact]
    public async Task TokenNearItsMaxTtl_IsReplacedByANewLogin()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30), maxTtl: TimeSpan.FromMinutes(35));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        // Renewal at 21 min is capped at the 35 min maximum (14 min left, less than half the 30 min asked).
        _time.Advance(TimeSpan.FromMinutes(21));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        _time.Advance(TimeSpan.FromMinutes(13));
        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("value-1", value.Fields["key"]);
        Assert.Equal(1, _h.Vault.TokenRenewals);
        Assert.Equal(2, _h.Vault.Logins);
    }

    [Fact]
    public async Task ExpiredLoginToken_LeadsToANewLogin()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        _time.Advance(TimeSpan.FromHours(2));
        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("value-1", value.Fields["key"]);
        Assert.Equal(2, _h.Vault.Logins);
    }

    [Fact]
    public async Task WrongSecretId_IsAccessDeniedWithoutTheSecretInTheMessage()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        _h.Bootstrap["env:SECRET_ID"] = "not-the-secret-id-0f3a";

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
        Assert.Contains("approle", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-id-0f3a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotatedSecretId_IsReadAtTheNextLogin()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        _h.Bootstrap["env:SECRET_ID"] = "stale";
        await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        var (roleId, secretId) = _h.Vault.AddAppRole("app2", TimeSpan.FromMinutes(30));
        _h.Bootstrap["env:ROLE_ID"] = roleId;
        _h.Bootstrap["env:SECRET_ID"] = secretId;
        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("value-1", value.Fields["key"]);
    }

    [Fact]
    public async Task StaticToken_IsReadBeforeEveryRequestSoRotationWorks()
    {
        var first = _h.Vault.CreateToken(TimeSpan.FromHours(1));
        var store = _h.CreateTokenStore(first);
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        _h.Vault.RevokeToken(first);
        _h.Bootstrap["env:VAULT_TOKEN"] = _h.Vault.CreateToken(TimeSpan.FromHours(1));
        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("value-1", value.Fields["key"]);
    }

    [Fact]
    public async Task RevokedLoginToken_IsReplacedByOneNewLoginAndTheReadSucceeds()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        await store.TestAsync(default);
        foreach (var token in LoggedInTokens())
        {
            _h.Vault.RevokeToken(token);
        }

        var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.Equal("value-1", value.Fields["key"]);
        Assert.Equal(2, _h.Vault.Logins);
    }

    [Fact]
    public async Task Kubernetes_LogsInWithTheJwtFromTheFile()
    {
        var jwtFile = Path.Combine(Path.GetTempPath(), "av-jwt-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(jwtFile, "eyJ.first.jwt\n");
        try
        {
            _h.Vault.AddKubernetesRole("agent-vault", "eyJ.first.jwt", TimeSpan.FromMinutes(10));
            var store = _h.CreateStore($$"""{ "address": "{address}", "auth": { "method": "kubernetes", "role": "agent-vault", "jwt_path": "{{jwtFile}}" } }""");

            var value = await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

            Assert.Equal("value-1", value.Fields["key"]);
            Assert.Equal(1, _h.Vault.Logins);
        }
        finally
        {
            File.Delete(jwtFile);
        }
    }

    [Fact]
    public async Task MissingJwtFile_IsInvalidConfigurationNamingTheFile()
    {
        _h.Vault.AddKubernetesRole("agent-vault", "jwt", TimeSpan.FromMinutes(10));
        var store = _h.CreateStore("""{ "address": "{address}", "auth": { "method": "kubernetes", "role": "agent-vault", "jwt_path": "/nonexistent/av/token" } }""");

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("secret/data/app"), default));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("/nonexistent/av/token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_SucceedsWithValidCredentialsAndFailsWithBadOnes()
    {
        var good = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30));
        await good.TestAsync(default);
        Assert.Equal(1, _h.Vault.RequestCount("GET", "auth/token/lookup-self"));

        var bad = _h.CreateTokenStore("hvs.not-a-token");
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => bad.TestAsync(default));
        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
    }

    [Fact]
    public async Task Logs_NeverContainTokensOrSecretIds()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromMinutes(30), maxTtl: TimeSpan.FromMinutes(40));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        _time.Advance(TimeSpan.FromMinutes(21));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);
        _time.Advance(TimeSpan.FromMinutes(30));
        await store.GetSecretAsync(new SecretRequest("secret/data/app"), default);

        Assert.NotEmpty(_h.Logs.Messages);
        var secrets = LoggedInTokens().Append("value-1").Append(_h.LastSecretId!).ToList();
        Assert.All(_h.Logs.Messages, m => Assert.All(secrets, s => Assert.DoesNotContain(s, m, StringComparison.Ordinal)));
    }

    private IEnumerable<string> LoggedInTokens() => _h.Vault.IssuedTokens.Where(t => t != _h.Vault.RootToken);
}
