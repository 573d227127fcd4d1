namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// The end-to-end scenarios every external store passes: curl → broker proxy → upstream, with the credential resolved by
/// the real store plugin loaded from the broker's plugins folder. A subclass supplies the store (a fake or moto), how to
/// change and count reads of the secret, and the store settings.
/// </summary>
public abstract class StoreEndToEndTests : IAsyncLifetime
{
    /// <summary>The store's name in the applied configuration (error messages must name it).</summary>
    protected abstract string StoreName { get; }

    /// <summary>The vault credential key the service injects.</summary>
    protected abstract string Key { get; }

    /// <summary>The secret value the store holds at the start of every test, and the value it is changed to.</summary>
    protected abstract string FirstValue { get; }

    protected abstract string SecondValue { get; }

    /// <summary>The credential the broker uses to authenticate to the store; <see cref="WrongStoreSecret"/> is refused.</summary>
    protected abstract string RightStoreSecret { get; }

    protected abstract string WrongStoreSecret { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task ValueInStore_ReachesUpstreamAndChangesAfterTtl()
    {
        await using var e2e = await StartAsync(RightStoreSecret, ttl: "1s", maxStale: "5m");

        var first = await e2e.GetAsync(Key);
        Assert.Equal(200, first.Status);
        Assert.Equal($"Bearer {FirstValue}", e2e.Upstream.Authorizations[^1]);

        await ChangeValueAsync(SecondValue);
        await e2e.PollAsync(Key, r => r.Status == 200 && e2e.Upstream.Authorizations[^1] == $"Bearer {SecondValue}", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StoreStopped_CachedValueServedUntilMaxStaleThen502()
    {
        await using var e2e = await StartAsync(RightStoreSecret, ttl: "1s", maxStale: "8s");
        Assert.Equal(200, (await e2e.GetAsync(Key)).Status);

        await StopStoreAsync();

        // After the TTL the store is asked again, fails, and the cached value is still injected (the broker says so).
        await e2e.PollAsync(
            Key,
            r =>
            {
                Assert.True(r.Status == 200 || r.Body.Contains("credential_unavailable", StringComparison.Ordinal), r.ToString());
                return r.Status == 200 && e2e.Broker.Stderr.Contains("serving the cached value within max_stale", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30));
        Assert.All(e2e.Upstream.Authorizations, a => Assert.Equal($"Bearer {FirstValue}", a));

        var failed = await e2e.PollAsync(Key, r => r.Status == 502, TimeSpan.FromSeconds(60));
        Assert.Contains("credential_unavailable", failed.Body, StringComparison.Ordinal);
        Assert.Contains(StoreName, failed.Body, StringComparison.Ordinal);
        Assert.Contains(Key, failed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstValue, failed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_ReadTheStoreOnce()
    {
        await using var e2e = await StartAsync(RightStoreSecret, ttl: "5m", maxStale: "5m");
        var before = await CountReadsAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => e2e.GetAsync(Key)));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(8, e2e.Upstream.Authorizations.Count(a => a == $"Bearer {FirstValue}"));
        Assert.Equal(1, await CountReadsAsync() - before);
    }

    [Fact]
    public async Task RightKey_StoreTestAndCredentialCheckSucceedWithoutPrintingValues()
    {
        await using var e2e = await StartAsync(RightStoreSecret, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", StoreName);
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault, "--json");

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("ok", test.Stdout, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstValue, check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_StoreTestAndCredentialCheckFailWithoutLeakingIt()
    {
        await using var e2e = await StartAsync(WrongStoreSecret, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", StoreName);
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault);

        Assert.True(test.ExitCode == 1, test.ToString());
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongStoreSecret, test.Output + check.Output + e2e.Broker.Stderr + e2e.Broker.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_RequestGets502CredentialUnavailable()
    {
        await using var e2e = await StartAsync(WrongStoreSecret, ttl: "1m", maxStale: "1m");

        var response = await e2e.GetAsync(Key);

        Assert.Equal(502, response.Status);
        Assert.Contains("credential_unavailable", response.Body, StringComparison.Ordinal);
        Assert.Contains(Key, response.Body, StringComparison.Ordinal);
        Assert.Empty(e2e.Upstream.Authorizations);
    }

    /// <summary>Starts the broker and upstream with the store configured (authenticating with <paramref name="storeSecret"/>) and the service applied.</summary>
    private protected abstract Task<StoreProxyHarness> StartAsync(string storeSecret, string ttl, string maxStale);

    protected abstract Task ChangeValueAsync(string value);

    protected abstract Task StopStoreAsync();

    /// <summary>How many times the store served the secret so far.</summary>
    protected abstract Task<int> CountReadsAsync();
}
