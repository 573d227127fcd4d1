using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Plugins.Tests.Infisical;

public sealed class InfisicalLeaseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private InfisicalHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await InfisicalHarness.StartAsync(_time);
        _h.Server.AddDynamicSecret("prod", "/db", "pg-ro", defaultTtl: TimeSpan.FromHours(1), maxTtl: TimeSpan.FromHours(3));
        _h.Server.AddDynamicSecret("prod", "/", "root-dyn", defaultTtl: TimeSpan.FromMinutes(10), maxTtl: TimeSpan.FromHours(1));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task DynamicReference_ReturnsLeasedFieldsWithExpiry()
    {
        var store = _h.CreateStore();

        var value = await store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default);

        Assert.StartsWith("inf-", value.Fields["DB_USERNAME"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(value.Fields["DB_PASSWORD"]));
        Assert.Null(value.Value);
        Assert.NotNull(value.Lease);
        Assert.True(value.Lease.Renewable);
        Assert.Equal(TimeSpan.FromHours(1), value.Lease.Duration);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), value.ExpiresAt);
        Assert.Single(_h.Server.ActiveLeases);
    }

    [Fact]
    public async Task DynamicSecretInRootFolder_AndTtlOption_AreHonoured()
    {
        var store = _h.CreateStore();

        var value = await store.GetSecretAsync(new SecretRequest("dynamic/root-dyn", new Dictionary<string, string> { ["ttl"] = "5m" }), default);

        Assert.Equal(TimeSpan.FromMinutes(5), value.Lease!.Duration);
    }

    [Fact]
    public async Task Renew_BringsTheLeaseBackToItsLength()
    {
        var store = (ILeasingSecretStore)_h.CreateStore();
        var value = await store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default);

        _time.Advance(TimeSpan.FromMinutes(50));
        var renewed = await store.RenewLeaseAsync(value.Lease!, default);

        Assert.Equal(value.Lease!.Id, renewed.Id);
        Assert.Equal(TimeSpan.FromHours(1), renewed.Duration);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), Assert.Single(_h.Server.ActiveLeases).ExpireAt);
    }

    [Fact]
    public async Task RenewBeyondMaxTtl_IsRefused()
    {
        var store = (ILeasingSecretStore)_h.CreateStore();
        var lease = (await store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default)).Lease!;
        foreach (var minutes in new[] { 50, 50 })
        {
            _time.Advance(TimeSpan.FromMinutes(minutes));
            lease = await store.RenewLeaseAsync(lease, default);
        }

        _time.Advance(TimeSpan.FromMinutes(50));
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.RenewLeaseAsync(lease, default));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("/db", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_EndsTheLease()
    {
        var store = (ILeasingSecretStore)_h.CreateStore();
        var value = await store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default);

        await store.RevokeLeaseAsync(value.Lease!, default);

        Assert.Empty(_h.Server.ActiveLeases);
        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.RenewLeaseAsync(value.Lease!, default));
        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
    }

    [Fact]
    public async Task DynamicSecretWithoutProjectSlug_IsInvalidConfiguration()
    {
        var store = _h.CreateStore(withSlug: false);

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("dynamic/db/pg-ro"), default));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("project_slug", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDynamicSecret_IsNotFound()
    {
        var store = _h.CreateStore();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("dynamic/db/nope"), default));

        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Contains("dynamic/db/nope", ex.Message, StringComparison.Ordinal);
    }
}
