using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class StoreStatisticsTests
{
    [Fact]
    public async Task StoreNeverRead_HasAClosedCircuitAndZeroCounts()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key");

        Assert.Equal(StoreStatistics.None, h.Cache.Get("s"));
    }

    [Fact]
    public async Task MissThenHits_AreCountedPerStoreWithTheEntry()
    {
        await using var h = new SecretsHarness();
        h.Configure(
            new Dictionary<string, CredentialDefinition> { ["A"] = new() { Ref = "s:app/a" }, ["B"] = new() { Ref = "t:app/b" } },
            SecretsHarness.FakeStore("s"),
            SecretsHarness.FakeStore("t"));
        h.Store("s").Set("app/a", "1");
        h.Store("t").Set("app/b", "2");

        await h.ResolveAsync("A");
        await h.ResolveAsync("A");
        await h.ResolveAsync("A");
        await h.ResolveAsync("B");

        Assert.Equal(new StoreCacheStats(1, 2, 1, 0), h.Cache.Get("s").Cache);
        Assert.Equal(new StoreCacheStats(1, 0, 1, 0), h.Cache.Get("t").Cache);
    }

    [Fact]
    public async Task StaleServe_IsCounted()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key", cache: new CacheDefinition { Ttl = "60s", MaxStale = "5m" });
        h.Store().Set("app/key", "v1");
        await h.ResolveAsync("API_KEY");

        h.Store().Failure = SecretsHarness.Unavailable;
        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.ResolveAsync("API_KEY");

        Assert.Equal(new StoreCacheStats(1, 0, 2, 1), h.Cache.Get("s").Cache);
    }

    [Fact]
    public async Task Circuit_GoesOpenThenHalfOpenAfterCooldownThenClosedAfterAGoodProbe()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { BreakerThreshold = 1, BreakerCooldown = TimeSpan.FromSeconds(10) });
        h.Configure("API_KEY", "s:app/key", "0");
        h.Store().Failure = SecretsHarness.Unavailable;

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        Assert.Equal(CircuitState.Open, h.Cache.Get("s").Circuit);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(CircuitState.HalfOpen, h.Cache.Get("s").Circuit);

        h.Store().Failure = null;
        h.Store().Set("app/key", "back");
        await h.ResolveAsync("API_KEY");
        Assert.Equal(CircuitState.Closed, h.Cache.Get("s").Circuit);
    }
}
