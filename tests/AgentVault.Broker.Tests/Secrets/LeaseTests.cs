using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class LeaseTests
{
    [Fact]
    public async Task LeasedValue_IgnoresStoreTtl_AndIsReadAgainShortlyBeforeLeaseEnd()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password");
        UseLeases(h, TimeSpan.FromSeconds(100), renewable: false);

        Assert.Equal("p1", await h.ResolveAsync("DB_PASS"));
        h.Time.Advance(TimeSpan.FromSeconds(70));
        Assert.Equal("p1", await h.ResolveAsync("DB_PASS"));
        Assert.Equal(1, h.Store().Reads);

        // 100 s lease: fresh until 10% (10 s) before its end.
        h.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("p2", await h.ResolveAsync("DB_PASS"));
        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task ExpiringValue_IsReadAgainBeforeExpiry_EvenWithinTtl()
    {
        await using var h = new SecretsHarness();
        h.Configure("TOKEN", "s:token");
        var n = 0;
        h.Store().Values["token"] = () => new SecretValue($"t{++n}") { ExpiresAt = h.Time.GetUtcNow().AddSeconds(20) };

        Assert.Equal("t1", await h.ResolveAsync("TOKEN"));
        h.Time.Advance(TimeSpan.FromSeconds(17));
        Assert.Equal("t1", await h.ResolveAsync("TOKEN"));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("t2", await h.ResolveAsync("TOKEN"));
    }

    [Fact]
    public async Task ExpiredValue_IsNeverServedStale()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password", cache: new CacheDefinition { MaxStale = "1h" });
        UseLeases(h, TimeSpan.FromSeconds(100), renewable: false);
        await h.ResolveAsync("DB_PASS");

        h.Store().Failure = SecretsHarness.Unavailable;
        h.Time.Advance(TimeSpan.FromSeconds(95));
        Assert.Equal("p1", await h.ResolveAsync("DB_PASS"));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<AgentVault.Broker.Secrets.CredentialUnavailableException>(() => h.ResolveAsync("DB_PASS").AsTask());
    }

    [Fact]
    public async Task RenewableLeaseInUse_IsRenewed_AndKeepsServingWithoutNewRead()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password");
        UseLeases(h, TimeSpan.FromSeconds(90), renewable: true);
        await h.ResolveAsync("DB_PASS");

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.ResolveAsync("DB_PASS");
        await h.Hosted.MaintainOnceAsync(CancellationToken.None);
        Assert.Equal(1, h.Store().Renewals);

        // Renewed at 61 s for 90 s: still fresh at 140 s, past the original lease end, then read again.
        h.Time.Advance(TimeSpan.FromSeconds(79));
        Assert.Equal("p1", await h.ResolveAsync("DB_PASS"));
        Assert.Equal(1, h.Store().Reads);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("p2", await h.ResolveAsync("DB_PASS"));
    }

    [Fact]
    public async Task UnusedLease_IsNotRenewed()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password");
        UseLeases(h, TimeSpan.FromSeconds(90), renewable: true);
        await h.ResolveAsync("DB_PASS");

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.Hosted.MaintainOnceAsync(CancellationToken.None);

        Assert.Equal(0, h.Store().Renewals);
    }

    [Fact]
    public async Task Shutdown_RevokesOutstandingLeases()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password");
        UseLeases(h, TimeSpan.FromMinutes(10), renewable: true);
        await h.ResolveAsync("DB_PASS");

        await h.Hosted.StartAsync(CancellationToken.None);
        await h.Hosted.StopAsync(CancellationToken.None);

        Assert.Equal(["lease-1"], h.Store().Revoked);
    }

    [Fact]
    public async Task RemovedStore_LeasesRevoked_AndCacheDropped()
    {
        await using var h = new SecretsHarness();
        h.Configure("DB_PASS", "s:database/creds/ro#password");
        UseLeases(h, TimeSpan.FromMinutes(10), renewable: true);
        await h.ResolveAsync("DB_PASS");

        h.Registry.Rebuild([]);

        await Poll.UntilAsync(() => h.Store().Revoked.Count == 1, "the revocation");
        Assert.Empty(h.Cache.Entries);
    }

    private static void UseLeases(SecretsHarness h, TimeSpan duration, bool renewable)
    {
        var n = 0;
        h.Store().Values["database/creds/ro"] = () =>
        {
            n++;
            return new SecretValue(null, new Dictionary<string, string> { ["username"] = $"u{n}", ["password"] = $"p{n}" })
            {
                Lease = new SecretLease($"lease-{n}", duration, renewable, h.Time.GetUtcNow()),
            };
        };
    }
}
