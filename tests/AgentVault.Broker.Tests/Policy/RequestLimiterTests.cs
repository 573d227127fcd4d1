using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class RequestLimiterTests
{
    private static readonly RateLimitSpec? ServiceRate = RateLimitSpec.TryParse("2/min", out var spec) ? spec : null;

    // Slow refill (one token per minute or hour) so no token comes back while a test runs.
    private static RequestLimiter Create(int burst = 3, int inFlight = 2) =>
        new(new RateLimitSpec(1, TimeSpan.FromMinutes(1)), burst, inFlight);

    [Fact]
    public void AgentBurst_ThenRefusedWithRetryAfter()
    {
        using var limiter = Create(burst: 3, inFlight: 100);

        var verdicts = Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null)).ToList();

        Assert.Equal([true, true, true, false], verdicts.Select(v => v.Acquired));
        Assert.Equal("agent rate", verdicts[3].Limit);
        Assert.InRange(verdicts[3].RetryAfterSeconds, 1, 60);
        verdicts.ForEach(v => v.Dispose());
    }

    [Fact]
    public void Agents_HaveSeparateBuckets()
    {
        using var limiter = Create(burst: 1);

        using var a = limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null);
        using var b = limiter.TryAcquire("b", AgentLimit.Default, "v", "s", null);

        Assert.True(a.Acquired);
        Assert.True(b.Acquired);
    }

    [Fact]
    public void InFlightSlots_AreReleasedOnDispose()
    {
        using var limiter = Create(burst: 100, inFlight: 2);

        var first = limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null);
        using var second = limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null);
        using var third = limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null);
        Assert.Equal([true, true, false], new[] { first, second, third }.Select(v => v.Acquired));
        Assert.Equal("agent concurrency", third.Limit);

        first.Dispose();
        using var fourth = limiter.TryAcquire("a", AgentLimit.Default, "v", "s", null);
        Assert.True(fourth.Acquired);
    }

    [Fact]
    public void PerAgentOverrides_ReplaceTheDefaults()
    {
        using var limiter = Create(burst: 100, inFlight: 100);

        var rate = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("a", AgentLimit.Compile("2/h", null), "v", "s", null)).ToList();
        using var slot = limiter.TryAcquire("b", AgentLimit.Compile(null, 1), "v", "s", null);
        using var second = limiter.TryAcquire("b", AgentLimit.Compile(null, 1), "v", "s", null);

        Assert.Equal([true, true, false], rate.Select(v => v.Acquired));
        Assert.False(second.Acquired);
        rate.ForEach(v => v.Dispose());
    }

    [Fact]
    public void ServiceRateLimit_AppliesAcrossAgentsAndReleasesTheSlot()
    {
        using var limiter = Create(burst: 100, inFlight: 1);

        using (var a = limiter.TryAcquire("a", AgentLimit.Default, "v", "svc", ServiceRate))
        {
            Assert.True(a.Acquired);
        }

        using (var b = limiter.TryAcquire("b", AgentLimit.Default, "v", "svc", ServiceRate))
        {
            Assert.True(b.Acquired);
        }

        using var refused = limiter.TryAcquire("a", AgentLimit.Default, "v", "svc", ServiceRate);
        using var otherService = limiter.TryAcquire("a", AgentLimit.Default, "v", "other", ServiceRate);
        Assert.Equal("service rate", refused.Limit);
        Assert.InRange(refused.RetryAfterSeconds, 1, 60);
        Assert.True(otherService.Acquired); // the refused request gave its in-flight slot back
    }

    [Theory]
    [InlineData("120/min", 120, 60)]
    [InlineData("10/s", 10, 1)]
    [InlineData("5/h", 5, 3600)]
    public void Spec_Parses(string text, int count, int seconds)
    {
        Assert.True(RateLimitSpec.TryParse(text, out var spec));
        Assert.Equal((count, TimeSpan.FromSeconds(seconds)), (spec.Count, spec.Window));
        Assert.Equal(text, spec.ToString());
    }

    [Theory]
    [InlineData("0/s")]
    [InlineData("10")]
    [InlineData("10/day")]
    [InlineData("-1/s")]
    [InlineData("")]
    public void Spec_RefusesMalformed(string text) => Assert.False(RateLimitSpec.TryParse(text, out _));

    [Theory]
    [InlineData("50/s", 100, 5)]      // replenished every 100 ms, 5 tokens each
    [InlineData("120/min", 500, 1)]
    [InlineData("3/min", 20_000, 1)]
    public void Spec_RefillsSmoothly(string text, int periodMs, int tokens)
    {
        Assert.True(RateLimitSpec.TryParse(text, out var spec));

        var options = spec.ToTokenBucket(spec.Count);

        Assert.Equal((TimeSpan.FromMilliseconds(periodMs), tokens, spec.Count), (options.ReplenishmentPeriod, options.TokensPerPeriod, options.TokenLimit));
    }
}
