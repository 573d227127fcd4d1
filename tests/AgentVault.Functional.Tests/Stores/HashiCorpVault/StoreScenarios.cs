using System.Net;

namespace AgentVault.Functional.Tests.Stores.HashiCorpVault;

/// <summary>The end-to-end behaviours every store must show through the proxy (SPEC §6), written once for all stores.</summary>
internal static class StoreScenarios
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>A request through the proxy reaches the upstream with <paramref name="expected"/> as its Authorization header.</summary>
    public static async Task UpstreamReceivesValueAsync(StoreProxyFixture fixture, HttpClient client, string path, string expected)
    {
        using var response = await client.GetAsync(fixture.UpstreamUrl(path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, fixture.Upstream.AuthorizationsFor(path)[^1]);
    }

    /// <summary>After the value changes in the store, requests carry the new value once the TTL has passed (polled with a deadline).</summary>
    public static async Task ChangedValueArrivesAfterTtlAsync(StoreProxyFixture fixture, HttpClient client, string path, string before, Action change, string after)
    {
        await UpstreamReceivesValueAsync(fixture, client, path, before);
        change();

        await PollAsync(
            async () =>
            {
                using var response = await client.GetAsync(fixture.UpstreamUrl(path));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var seen = fixture.Upstream.AuthorizationsFor(path)[^1];
                Assert.True(seen == before || seen == after, "the upstream received neither the old nor the new value");
                return seen == after;
            },
            "the changed value to reach the upstream");
    }

    /// <summary>
    /// With the store stopped the cached value keeps being served (also after the store was tried and failed, i.e. stale),
    /// until <c>max_stale</c>; then the proxy answers 502 <c>credential_unavailable</c> naming the store and the key.
    /// </summary>
    public static async Task StaleUntilMaxStaleThenUnavailableAsync(
        StoreProxyFixture fixture, HttpClient client, string path, string value, Action stop, Func<int> refusedRequests, string store, string key)
    {
        await UpstreamReceivesValueAsync(fixture, client, path, value);
        stop();

        var servedStale = false;
        HttpResponseMessage? failure = null;
        await PollAsync(
            async () =>
            {
                var triedBefore = refusedRequests() > 0;
                var response = await client.GetAsync(fixture.UpstreamUrl(path));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(value, fixture.Upstream.AuthorizationsFor(path)[^1]);
                    servedStale |= triedBefore;
                    response.Dispose();
                    return false;
                }

                failure = response;
                return true;
            },
            "the stale value to run out (max_stale)");

        using (failure)
        {
            Assert.True(servedStale, "no request was served from the cache after the store had failed");
            Assert.Equal(HttpStatusCode.BadGateway, failure!.StatusCode);
            Assert.Equal("credential_unavailable", failure.Headers.GetValues("X-Agent-Vault-Error").Single());
            var (code, detail) = await StoreProxyFixture.ReadProblemAsync(failure);
            Assert.Equal("credential_unavailable", code);
            Assert.Contains(store, detail, StringComparison.Ordinal);
            Assert.Contains(key, detail, StringComparison.Ordinal);
            Assert.DoesNotContain(value.Replace("Bearer ", string.Empty, StringComparison.Ordinal), detail, StringComparison.Ordinal);
        }
    }

    /// <summary>Many concurrent first requests for one credential cause exactly one store read.</summary>
    public static async Task ConcurrentFirstRequestsReadOnceAsync(StoreProxyFixture fixture, HttpClient client, string path, string expected, Func<int> storeReads)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetAsync(fixture.UpstreamUrl(path))));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.All(fixture.Upstream.AuthorizationsFor(path), a => Assert.Equal(expected, a));
            Assert.Equal(16, fixture.Upstream.AuthorizationsFor(path).Count);
            Assert.Equal(1, storeReads());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    private static async Task PollAsync(Func<Task<bool>> attempt, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
