using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class SecretCacheTests
{
    [Fact]
    public async Task FirstUse_ReadsStoreOnce_ThenServesFromCache()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v1");

        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        Assert.Equal(1, h.Store().Reads);
    }

    [Theory]
    [InlineData(null, null, 60)]
    [InlineData("10s", null, 10)]
    [InlineData(null, "5s", 5)]
    [InlineData("10s", "2m", 120)]
    public async Task ValueChangedInStore_SeenAfterTheEffectiveTtl(string? storeTtl, string? credentialTtl, int effectiveSeconds)
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key", credentialTtl, new CacheDefinition { Ttl = storeTtl });
        h.Store().Set("app/key", "old");
        Assert.Equal("old", await h.ResolveAsync("API_KEY"));

        h.Store().Set("app/key", "new");
        h.Time.Advance(TimeSpan.FromSeconds(effectiveSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.Equal("old", await h.ResolveAsync("API_KEY"));
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("new", await h.ResolveAsync("API_KEY"));
    }

    [Fact]
    public async Task ZeroTtl_ReadsEveryTime()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key", "0");
        h.Store().Set("app/key", "v");

        await h.ResolveAsync("API_KEY");
        await h.ResolveAsync("API_KEY");

        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task ConcurrentMisses_CauseOneStoreRead()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v");
        h.Store().Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var pending = Enumerable.Range(0, 50).Select(_ => h.ResolveAsync("API_KEY").AsTask()).ToList();
        await Poll.UntilAsync(() => h.Store().Reads >= 1, "the first read");
        h.Store().Gate!.SetResult();
        var values = await Task.WhenAll(pending);

        Assert.All(values, v => Assert.Equal("v", v));
        Assert.Equal(1, h.Store().Reads);
    }

    [Fact]
    public async Task FieldsOfOneSecret_ComeFromOneRead()
    {
        await using var h = new SecretsHarness();
        h.Configure(new Dictionary<string, CredentialDefinition>
        {
            ["DB_USER"] = new() { Ref = "s:database/creds/ro#username" },
            ["DB_PASS"] = new() { Ref = "s:database/creds/ro#password" },
        });
        h.Store().Values["database/creds/ro"] = () => new SecretValue(null, new Dictionary<string, string> { ["username"] = "u1", ["password"] = "p1" });

        Assert.Equal("u1", await h.ResolveAsync("DB_USER"));
        Assert.Equal("p1", await h.ResolveAsync("DB_PASS"));
        Assert.Equal(1, h.Store().Reads);
    }

    [Fact]
    public async Task HitLateInTtl_RefreshesInBackground_AndServesCurrentValueMeanwhile()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v1");
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        h.Store().Set("app/key", "v2");
        h.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));
        await Poll.UntilAsync(() => h.Store().Reads == 2 && !h.Cache.Entries.Single().Value.IsFetching, "the background refresh");
        Assert.Equal("v2", await h.ResolveAsync("API_KEY"));

        // The refreshed value starts a new TTL: no read is needed when the old one would have expired.
        h.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("v2", await h.ResolveAsync("API_KEY"));
        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task StoreOutage_ServesStaleUntilMaxStale_ThenFailsNamingStoreAndKey()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key", cache: new CacheDefinition { Ttl = "60s", MaxStale = "5m" });
        h.Store().Set("app/key", "v1");
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        h.Store().Failure = SecretsHarness.Unavailable;
        h.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));
        h.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("v1", await h.ResolveAsync("API_KEY"));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        Assert.Equal("s", ex.Store);
        Assert.Equal("API_KEY", ex.Key);
        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
        Assert.Contains("'API_KEY'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("store 's'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("v1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxStaleZero_FailsClosedAtOnce()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key", cache: new CacheDefinition { MaxStale = "0" });
        h.Store().Set("app/key", "v1");
        await h.ResolveAsync("API_KEY");

        h.Store().Failure = SecretsHarness.Unavailable;
        h.Time.Advance(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
    }

    [Theory]
    [InlineData(SecretErrorCategory.AccessDenied)]
    [InlineData(SecretErrorCategory.InvalidConfiguration)]
    public async Task NonTransientStoreError_IsNotHiddenByStaleValue(SecretErrorCategory category)
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app/key");
        h.Store().Set("app/key", "v1");
        await h.ResolveAsync("API_KEY");

        h.Store().Failure = () => new SecretStoreException(category, "nope");
        h.Time.Advance(TimeSpan.FromSeconds(61));

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        Assert.Equal(category, ex.Category);
    }

    [Fact]
    public async Task NotFound_IsRememberedBriefly()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:missing");

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());
        Assert.Equal(1, h.Store().Reads);

        h.Store().Set("missing", "now here");
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("now here", await h.ResolveAsync("API_KEY"));
        Assert.Equal(2, h.Store().Reads);
    }

    [Fact]
    public async Task MissingField_FailsWithNotFoundNamingTheField()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app#nope");
        h.Store().Set("app", """{"token":"t"}""");

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.ResolveAsync("API_KEY").AsTask());

        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"t\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_FailsWithNotFound()
    {
        await using var h = new SecretsHarness();
        h.Configure("API_KEY", "s:app");

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => h.Resolver.ResolveAsync("v", "OTHER", CancellationToken.None).AsTask());

        Assert.Equal(SecretErrorCategory.NotFound, ex.Category);
        Assert.Null(ex.Store);
    }
}
