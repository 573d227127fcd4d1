using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Plugins.Tests.Infisical;

public sealed class InfisicalAuthTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private InfisicalHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await InfisicalHarness.StartAsync(_time);
        _h.Server.SetSecret("prod", "/", "KEY", "value-1");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AccessToken_IsRenewedTwoThirdsIntoItsLifetime()
    {
        var store = _h.CreateStore(tokenTtl: TimeSpan.FromMinutes(30));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        _time.Advance(TimeSpan.FromMinutes(19));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        Assert.Equal(0, _h.Server.TokenRenewals);

        _time.Advance(TimeSpan.FromMinutes(2));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        Assert.Equal(1, _h.Server.TokenRenewals);
        Assert.Equal(1, _h.Server.Logins);
    }

    [Fact]
    public async Task TokenNearItsMaxTtl_IsReplacedByANewLogin()
    {
        var store = _h.CreateStore(tokenTtl: TimeSpan.FromMinutes(30), tokenMaxTtl: TimeSpan.FromMinutes(35));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        _time.Advance(TimeSpan.FromMinutes(21));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        _time.Advance(TimeSpan.FromMinutes(13));
        var value = await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        Assert.Equal("value-1", value.Value);
        Assert.Equal(1, _h.Server.TokenRenewals);
        Assert.Equal(2, _h.Server.Logins);
    }

    [Fact]
    public async Task RevokedToken_LeadsToOneNewLoginAndTheReadSucceeds()
    {
        var store = _h.CreateStore();
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        _h.Server.RevokeAllTokens();

        var value = await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        Assert.Equal("value-1", value.Value);
        Assert.Equal(2, _h.Server.Logins);
    }

    [Fact]
    public async Task WrongClientSecret_IsAccessDeniedWithoutTheSecretInTheMessage()
    {
        var store = _h.CreateStore();
        _h.Bootstrap["env:INFISICAL_CLIENT_SECRET"] = "wrong-secret-5d1c";

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("/KEY"), default));

        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
        Assert.DoesNotContain("wrong-secret-5d1c", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_LogsIn()
    {
        var good = _h.CreateStore();
        await good.TestAsync(default);
        Assert.Equal(1, _h.Server.Logins);

        _h.Bootstrap["env:INFISICAL_CLIENT_SECRET"] = "wrong";
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => good.TestAsync(default));
        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
    }

    [Fact]
    public async Task Logs_NeverContainTokensClientSecretsOrValues()
    {
        var store = _h.CreateStore(tokenTtl: TimeSpan.FromMinutes(30), tokenMaxTtl: TimeSpan.FromMinutes(35));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        _time.Advance(TimeSpan.FromMinutes(21));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        _time.Advance(TimeSpan.FromMinutes(30));
        await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        Assert.NotEmpty(_h.Logs.Messages);
        var secrets = _h.Server.IssuedTokens.Append(_h.ClientSecret!).Append("value-1").ToList();
        Assert.All(_h.Logs.Messages, m => Assert.All(secrets, s => Assert.DoesNotContain(s, m, StringComparison.Ordinal)));
    }
}
