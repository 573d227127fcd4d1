using System.Net;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Tests.Hosting;

namespace AgentVault.Broker.Tests.Policy;

public sealed class ProxyAuthThrottleTests
{
    private static readonly IPAddress Nat = IPAddress.Parse("203.0.113.7");

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProxyAuthThrottle Create(ManualTimeProvider? clock = null) =>
        new(new RateLimitSpec(3, TimeSpan.FromHours(1)), new RateLimitSpec(5, TimeSpan.FromHours(1)), clock ?? new ManualTimeProvider(Start));

    [Fact]
    public void RepeatedFailuresWithOneToken_LockThatTokenOnly()
    {
        using var throttle = Create();

        var verdicts = Enumerable.Range(0, 4).Select(_ => throttle.RecordFailure("bad-token-hash", IPAddress.Parse("198.51.100.1"))).ToList();

        Assert.Equal([false, false, false, true], verdicts.Select(v => v is not null));
        Assert.True(throttle.IsTokenLocked("bad-token-hash", out var retry));
        Assert.True(retry > TimeSpan.Zero);
        Assert.False(throttle.IsTokenLocked("good-token-hash", out _));
    }

    [Fact]
    public void AttackerBehindNat_IsThrottledButAValidTokenIsNeverLocked()
    {
        using var throttle = Create();

        var verdicts = Enumerable.Range(0, 10).Select(i => throttle.RecordFailure($"guess-{i}", Nat)).ToList();

        // The address is throttled after 5 failures: failed attempts from it now get 429 instead of 407 …
        Assert.Equal(5, verdicts.Count(v => v is null));
        Assert.All(verdicts.Skip(5), v => Assert.NotNull(v));
        // … but only failures are counted: a valid token presented from the same address is not locked.
        Assert.False(throttle.IsTokenLocked("valid-token-hash", out _));
    }

    [Fact]
    public void Ipv6Clients_AreGroupedBySlash64()
    {
        using var throttle = Create();

        for (var i = 1; i <= 5; i++)
        {
            Assert.Null(throttle.RecordFailure(null, IPAddress.Parse($"2001:db8:1:2::{i}")));
        }

        Assert.NotNull(throttle.RecordFailure(null, IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.Null(throttle.RecordFailure(null, IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void TokenLock_ExpiresWithTime()
    {
        var clock = new ManualTimeProvider(Start);
        using var throttle = Create(clock);
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure("t", IPAddress.Parse("198.51.100.2"));
        }

        Assert.True(throttle.IsTokenLocked("t", out var retry));
        clock.Advance(retry + TimeSpan.FromSeconds(1));

        Assert.False(throttle.IsTokenLocked("t", out _));
    }
}
