using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

public sealed class VaultLeaseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private VaultHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await VaultHarness.StartAsync(_time);
        _h.Vault.AddDatabaseRole("ro", TimeSpan.FromHours(1), maxTtl: TimeSpan.FromHours(3));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task DatabaseCreds_ReturnFieldsWithLeaseAndExpiry()
    {
        var store = _h.CreateAppRoleStore("app", TimeSpan.FromHours(8));

        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        Assert.StartsWith("v-fake-ro-", value.Fields["username"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(value.Fields["password"]));
        Assert.NotNull(value.Lease);
        Assert.StartsWith("database/creds/ro/", value.Lease.Id, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(1), value.Lease.Duration);
        Assert.True(value.Lease.Renewable);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), value.ExpiresAt);
        Assert.Contains("lease: yes", value.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value.Fields["password"], value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachRead_IssuesANewLease()
    {
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var a = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);
        var b = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        Assert.NotEqual(a.Lease!.Id, b.Lease!.Id);
        Assert.NotEqual(a.Fields["username"], b.Fields["username"]);
        Assert.Equal(2, _h.Vault.ActiveLeases.Count);
    }

    [Fact]
    public async Task Renew_ExtendsTheLease()
    {
        var store = (ILeasingSecretStore)_h.CreateTokenStore(_h.Vault.RootToken);
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        _time.Advance(TimeSpan.FromMinutes(50));
        var renewed = await store.RenewLeaseAsync(value.Lease!, default);

        Assert.Equal(value.Lease!.Id, renewed.Id);
        Assert.Equal(TimeSpan.FromHours(1), renewed.Duration);
        Assert.Equal(_time.GetUtcNow(), renewed.IssuedAt);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), Assert.Single(_h.Vault.ActiveLeases).ExpiresAt);
    }

    [Fact]
    public async Task RenewPastMaxTtl_IsCapped()
    {
        var store = (ILeasingSecretStore)_h.CreateTokenStore(_h.Vault.RootToken);
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        var lease = value.Lease!;
        foreach (var minutes in new[] { 50, 55, 55 })
        {
            _time.Advance(TimeSpan.FromMinutes(minutes));
            lease = await store.RenewLeaseAsync(lease, default);
        }

        // The role's maximum is 3 h: at 160 min only 20 min are left.
        Assert.Equal(TimeSpan.FromMinutes(20), lease.Duration);
    }

    [Fact]
    public async Task Revoke_EndsTheLeaseAndLaterRenewalIsNotFound()
    {
        var store = (ILeasingSecretStore)_h.CreateAppRoleStore("app", TimeSpan.FromHours(8));
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        await store.RevokeLeaseAsync(value.Lease!, default);

        Assert.Empty(_h.Vault.ActiveLeases);
        Assert.Equal(1, _h.Vault.LeaseRevocations);
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.RenewLeaseAsync(value.Lease!, default));
        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Contains("database/creds/ro", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewWhileVaultIsDown_IsUnavailable()
    {
        var store = (ILeasingSecretStore)_h.CreateTokenStore(_h.Vault.RootToken);
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);
        _h.Vault.Stopped = true;

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.RenewLeaseAsync(value.Lease!, default));

        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
    }

    [Fact]
    public async Task UnknownRole_IsRejected()
    {
        var store = _h.CreateTokenStore(_h.Vault.RootToken);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("database/creds/nope"), default));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("database/creds/nope", ex.Message, StringComparison.Ordinal);
    }
}
