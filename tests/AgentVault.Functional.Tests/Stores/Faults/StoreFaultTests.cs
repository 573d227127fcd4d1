using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.Stores.HashiCorpVault;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.Vault;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Stores.Faults;

/// <summary>
/// A secret store that hangs, answers slowly, errors or drops connections under the real broker (docs/caching.md "When a
/// store fails", docs/reliability.md "Secret store faults"): the cached value is served until <c>max_stale</c>, then the
/// proxy answers 502 <c>credential_unavailable</c> naming nothing but service, vault, key and store, and requests succeed
/// again on their own once the store is back. The upstream never sees a request without the credential or with another one,
/// and the broker's log never holds the value. Each case has its own fake Vault and store (the circuit breaker is per store).
/// </summary>
public sealed partial class StoreFaultTests(StoreProxyFixture fixture, ITestOutputHelper output) : IClassFixture<StoreProxyFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _requests;

    // A hung read is given up after the broker's store read timeout (10 s), so max_stale must outlast it to be seen.
    [Theory]
    [InlineData(StoreFault.Hang, 12)]
    [InlineData(StoreFault.Error, 4)]
    [InlineData(StoreFault.Drop, 4)]
    public async Task FailingStore_ServesCachedValueUntilMaxStale_Then502_ThenRecoversWithoutRestart(StoreFault fault, int maxStaleSeconds)
    {
        var maxStale = TimeSpan.FromSeconds(maxStaleSeconds);
        var (name, secret, vault, client) = await SetUpAsync(fault, maxStale);
        await using var _ = vault;
        using var __ = client;
        var first = await SendAsync(client, name, vault);
        Assert.True(first.Status == 200, first.ToString());

        // The value was read while the first request was in flight, so it may be served until some moment in between.
        var servedUntilAtLeast = first.SentAt + (Ttl + maxStale).TotalSeconds;
        var servedUntilAtMost = first.AnsweredAt + (Ttl + maxStale).TotalSeconds;
        vault.Fault = fault;
        var during = new List<StoreFaultOutcome>();
        StoreFaultOutcome last;
        do
        {
            Assert.True(_clock.Elapsed < Deadline, $"no 502 after max_stale; outcomes:\n{string.Join('\n', during)}");
            await Task.Delay(100);
            during.Add(last = await SendAsync(client, name, vault));
        }
        while (last.Status != 502 || last.SentAt < servedUntilAtMost);

        var report = string.Join('\n', during);
        Assert.All(during.Where(o => o.SentAt < servedUntilAtLeast), o => Assert.True(o.Status == 200, $"within max_stale: {o}\n{report}"));
        Assert.All(during.Where(o => o.SentAt >= servedUntilAtMost), o => Assert.True(o.Status == 502, $"past max_stale: {o}\n{report}"));
        Assert.Contains(during, o => o.Status == 200 && o.StoreTriedBefore);
        Assert.True(await StaleServesAsync(name) > 0, "the stale-serve counter did not count");
        AssertOnlyUnavailable(last, name, vault, secret);

        vault.Fault = StoreFault.None;
        var cleared = _clock.Elapsed.TotalSeconds;
        var after = new List<StoreFaultOutcome>();
        while ((last = await SendAsync(client, name, vault)).Status != 200)
        {
            after.Add(last);
            AssertOnlyUnavailable(last, name, vault, secret);
            Assert.True(_clock.Elapsed < Deadline * 2, $"no recovery after the fault was cleared; last: {last}");
            await Task.Delay(100);
        }

        after.Add(last);
        for (var i = 0; i < 3; i++)
        {
            var next = await SendAsync(client, name, vault);
            Assert.True(next.Status == 200, $"after recovery: {next}");
        }

        AssertUpstreamSawOnly(name, "Bearer " + secret);
        AssertLogHoldsNo(secret);
        AssertLogNamesTheReason(name);
        var stale = during.Where(o => o.Status == 200 && o.StoreTriedBefore).ToList();
        var failed = during.Where(o => o.Status == 502).ToList();
        output.WriteLine(
            $"{fault}: max_stale {maxStaleSeconds}s; {stale.Count} served stale, latency median {Median(stale):0.000}s max {stale.Max(o => o.Latency):0.000}s; "
            + $"{failed.Count} answered 502, latency median {Median(failed):0.000}s max {failed.Max(o => o.Latency):0.000}s; "
            + $"recovered {last.AnsweredAt - cleared:0.00}s after the fault was cleared ({after.Count - 1} more 502s); store saw {vault.FaultedRequests} faulted requests");
    }

    [Fact]
    public async Task SlowStore_IsWaitedFor_AndServesTheCurrentValue()
    {
        var maxStale = TimeSpan.FromSeconds(4);
        var (name, secret, vault, client) = await SetUpAsync(StoreFault.Slow, maxStale);
        await using var _ = vault;
        using var __ = client;
        var first = await SendAsync(client, name, vault);
        Assert.True(first.Status == 200, first.ToString());
        var normal = first.Latency;

        vault.SlowDelay = TimeSpan.FromSeconds(2);
        vault.Fault = StoreFault.Slow;
        var rotateAt = first.AnsweredAt + (Ttl + maxStale).TotalSeconds;
        var rotated = secret + "-2";
        var during = new List<StoreFaultOutcome>();
        var rotatedAt = double.MaxValue;
        do
        {
            Assert.True(_clock.Elapsed < Deadline, $"the rotated value did not arrive; outcomes:\n{string.Join('\n', during)}");
            await Task.Delay(100);
            if (rotatedAt == double.MaxValue && _clock.Elapsed.TotalSeconds >= rotateAt)
            {
                // Past what max_stale would allow: every success from here on was a fresh read from the slow store.
                vault.WriteKv2("secret/" + name, new { token = rotated });
                rotatedAt = _clock.Elapsed.TotalSeconds;
            }

            during.Add(await SendAsync(client, name, vault));
        }
        while (during[^1].Authorization != "Bearer " + rotated);

        Assert.All(during, o => Assert.True(o.Status == 200, $"a slow store failed a request: {o}"));
        var seen = during.Select(o => o.Authorization).ToList();
        var firstRotated = seen.IndexOf("Bearer " + rotated);
        Assert.All(seen.Take(firstRotated), a => Assert.Equal("Bearer " + secret, a));
        Assert.Equal(0, await StaleServesAsync(name));
        Assert.True(vault.FaultedRequests >= 2, $"the slow store was read {vault.FaultedRequests} times");

        vault.Fault = StoreFault.None;
        AssertLogHoldsNo(secret);
        AssertLogHoldsNo(rotated);
        var waited = during.Where(o => o.StoreTriedBefore).ToList();
        output.WriteLine(
            $"Slow ({vault.SlowDelay.TotalSeconds:0}s per store answer): {during.Count} requests, all 200; latency median {Median(waited):0.000}s max {waited.Select(o => o.Latency).DefaultIfEmpty().Max():0.000}s "
            + $"(first request before the fault {normal:0.000}s); rotated value reached the upstream {during[^1].AnsweredAt - rotatedAt:0.00}s after it was written; store saw {vault.FaultedRequests} slow requests");
    }

    private async Task<(string Name, string Secret, FakeVaultServer Vault, HttpClient Client)> SetUpAsync(StoreFault fault, TimeSpan maxStale)
    {
        var name = "fault-" + fault.ToString().ToLowerInvariant();
        var secret = $"sv-{name}-{Guid.NewGuid():N}";
        var vault = await FakeVaultServer.StartAsync();
        vault.AddRootToken(fixture.Vault.RootToken);
        vault.WriteKv2("secret/" + name, new { token = secret });
        var settings = $$"""{ "address": "{{vault.Address}}", "auth": { "method": "token", "token": "env:E2E_VAULT_TOKEN" } }""";
        var client = await fixture.SetUpAsync(
            name, "hashicorp-vault", settings, $"{Ttl.TotalSeconds:0}s", $"{maxStale.TotalSeconds:0}s",
            new Dictionary<string, string> { ["API_TOKEN"] = $"{name}:secret/data/{name}#token" }, """{ "type": "bearer", "token": "API_TOKEN" }""");
        return (name, secret, vault, client);
    }

    /// <summary>One GET through the proxy to a path of its own, so the upstream's record of it is exactly this request's.</summary>
    private async Task<StoreFaultOutcome> SendAsync(HttpClient client, string name, FakeVaultServer vault)
    {
        var path = $"/{name}/{Interlocked.Increment(ref _requests)}";
        var triedBefore = vault.FaultedRequests > 0;
        var sent = _clock.Elapsed.TotalSeconds;
        using var response = await client.GetAsync(fixture.UpstreamUrl(path));
        var body = await response.Content.ReadAsStringAsync();
        var answered = _clock.Elapsed.TotalSeconds;
        var code = response.Headers.TryGetValues("X-Agent-Vault-Error", out var values) ? values.Single() : null;
        var seen = fixture.Upstream.AuthorizationsFor(path);
        Assert.True(seen.Count <= 1, $"the upstream saw {path} {seen.Count} times");
        return new StoreFaultOutcome(sent, answered, triedBefore, (int)response.StatusCode, code, body, seen.Count == 1 ? seen[0] : null);
    }

    /// <summary>A 502 <c>credential_unavailable</c> that names the service, vault, key and store, and nothing else about the store.</summary>
    private static void AssertOnlyUnavailable(StoreFaultOutcome outcome, string name, FakeVaultServer vault, string secret)
    {
        Assert.True(outcome.Status == 502 && outcome.ErrorCode == "credential_unavailable", outcome + "\n" + outcome.Body);
        Assert.Null(outcome.Authorization);
        var problem = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal(["type", "title", "status", "detail", "code"], problem.EnumerateObject().Select(p => p.Name));
        Assert.Equal("credential_unavailable", problem.GetProperty("code").GetString());
        Assert.Equal($"Service 'upstream' of vault '{name}': credential 'API_TOKEN' (store '{name}') is unavailable.", problem.GetProperty("detail").GetString());
        foreach (var leak in new[] { vault.Address.Authority, vault.Address.Port.ToString(CultureInfo.InvariantCulture), "sealed", "503", "timed out", "reach", secret })
        {
            Assert.DoesNotContain(leak, outcome.Body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private void AssertUpstreamSawOnly(string name, string expected)
    {
        var seen = fixture.Upstream.Requests.Where(r => r.Path.StartsWith($"/{name}/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(seen);
        Assert.All(seen, r => Assert.Equal(expected, r.Authorization));
    }

    private void AssertLogHoldsNo(string secret)
    {
        Assert.DoesNotContain(secret, fixture.Broker.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, fixture.Broker.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The admin learns what the agent is not told: the stale serve (event 5020) and the refusal (1107) with the store's error.</summary>
    private void AssertLogNamesTheReason(string name)
    {
        var log = (fixture.Broker.Stdout + fixture.Broker.Stderr).Split('\n');
        Assert.Contains(log, l => l.Contains("[5020]", StringComparison.Ordinal) && l.Contains($"Store {name} failed", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("[1107]", StringComparison.Ordinal) && l.Contains($"of vault '{name}' is unavailable: store '{name}'", StringComparison.Ordinal));
    }

    private async Task<long> StaleServesAsync(string store)
    {
        using var api = fixture.Broker.CreateApiClient();
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return StaleServeLine().Matches(text)
            .Where(m => m.Groups[1].Value.Contains($"store=\"{store}\"", StringComparison.Ordinal))
            .Sum(m => (long)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static double Median(List<StoreFaultOutcome> outcomes)
    {
        var sorted = outcomes.Select(o => o.Latency).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    [GeneratedRegex(@"^agentvault_secrets_cache_stale_serves_total\{([^}]*)\}\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex StaleServeLine();
}
