using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class SecretCacheFailureTests
{
    [Fact]
    public async Task RepeatedUnavailableErrors_OpenTheCircuit_ThenOneProbeAfterCooldown()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { BreakerThreshold = 3, BreakerCooldown = TimeSpan.FromSeconds(10) });
        h.Configure("API_KEY", "s:app/key", "0");
        h.Store().Failure = SecretsHarness.Unavailable;

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        }

        Assert.Equal(3, h.Store().Reads);
        var open = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        Assert.Contains("circuit open", open.Message, StringComparison.Ordinal);
        Assert.Equal(SecretErrorCategory.Unavailable, open.Category);
        Assert.Equal(3, h.Store().Reads);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Store().Failure = null;
        h.Store().Set("app/key", "back");
        Assert.Equal("back", await h.ResolveAsync("API_KEY"));
        Assert.Equal(4, h.Store().Reads);
        Assert.Equal("back", await h.ResolveAsync("API_KEY"));
        Assert.Equal(5, h.Store().Reads);
    }

    [Fact]
    public async Task FailedProbe_ReopensTheCircuit()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { BreakerThreshold = 1, BreakerCooldown = TimeSpan.FromSeconds(10) });
        h.Configure("API_KEY", "s:app/key", "0");
        h.Store().Failure = SecretsHarness.Unavailable;

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());

        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task OpenCircuit_StillServesStaleValue()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { BreakerThreshold = 1 });
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v1");
        await h.ResolveAsync("API_KEY");

        h.Store().Failure = SecretsHarness.Unavailable;
        h.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task SlowStore_TimesOutAsUnavailable()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { FetchTimeout = TimeSpan.FromSeconds(10) });
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v");
        h.Store().Gate = new TaskCompletionSource();

        var pending = h.ResolveAsync("API_KEY").AsTask();
        await Poll.UntilAsync(() => h.Store().Reads == 1, "the read to start");
        h.Time.Advance(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => pending);
        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingStore_AfterOneTimedOutRead_ServesTheStaleValueWithoutWaiting()
    {
        await using var h = new SecretsHarness(new SecretCacheOptions { FetchTimeout = TimeSpan.FromSeconds(10) });
        h.Configure("API_KEY", "s:app/key", cache: new CacheDefinition { Ttl = "60s", MaxStale = "5m" });
        h.Store().Set("app/key", "v1");
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        var gate = h.Store().Gate = new TaskCompletionSource();
        h.Time.Advance(TimeSpan.FromSeconds(61));
        var first = h.ResolveAsync("API_KEY").AsTask();
        await Poll.UntilAsync(() => h.Store().Reads == 2, "the read to start");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("v1", await first);

        // The store still hangs (and the fake clock stands still, so a request waiting for it would never finish).
        Assert.Equal("v1", await h.ResolveAsync("API_KEY").AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY").AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        await Poll.UntilAsync(() => h.Store().Reads == 3, "one read to retry in the background");

        h.Store().Set("app/key", "v2");
        gate.SetResult();
        await Poll.UntilAsync(() => !h.Cache.Entries.Single().Value.IsFetching, "the background read");
        Assert.Equal("v2", await h.ResolveAsync("API_KEY"));
        Assert.Equal(3, h.Store().Reads);
    }

    [Fact]
    public async Task StoreOfUnknownType_IsUnavailableWithReason()
    {
        await using var h = new SecretsHarness();
        h.Configure(
            new Dictionary<string, CredentialDefinition> { ["K"] = new() { Ref = "hcv:secret/data/x#token" } },
            new StoreDefinition { Name = "hcv", Type = "hashicorp-vault" });

        Assert.Null(h.Registry.Find("hcv", out var reason));
        Assert.Equal("no loaded plugin provides store type 'hashicorp-vault'", reason);
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("K").AsTask());
        Assert.Contains("no loaded plugin provides store type 'hashicorp-vault'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("hcv", ex.Store);
    }
}
