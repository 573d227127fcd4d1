using AgentVault.Broker.Security;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AgentVault.Broker.Tests.Security;

public sealed class ConsoleSessionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Start_GivesARandomPrefixedToken_ThatFindsItsSession()
    {
        var sessions = new ConsoleSessions(_time);

        var (first, session) = sessions.Start("admin");
        var (second, _) = sessions.Start("admin");

        Assert.StartsWith("avs_", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Same(session, sessions.Find(first));
        Assert.Equal("admin", session.Actor);
        Assert.DoesNotContain(first[4..], session.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ava_not-a-session")]
    [InlineData("avs_unknown")]
    public void UnknownOrForeignToken_FindsNothing(string? token)
    {
        var sessions = new ConsoleSessions(_time);
        sessions.Start("admin");

        Assert.Null(sessions.Find(token));
        Assert.False(sessions.IsLive(token));
    }

    [Fact]
    public void SessionIdleForThirtyMinutes_Ends_ButUseKeepsItAlive()
    {
        var sessions = new ConsoleSessions(_time);
        var (idle, _) = sessions.Start("admin");
        var (used, _) = sessions.Start("admin");

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(sessions.Find(used));
        }

        Assert.Null(sessions.Find(idle));
        Assert.NotNull(sessions.Find(used));
    }

    [Fact]
    public void WatchingWithIsLive_DoesNotKeepAnIdleSessionAlive()
    {
        var sessions = new ConsoleSessions(_time);
        var (token, _) = sessions.Start("admin");

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(sessions.IsLive(token));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(sessions.IsLive(token));
        Assert.Null(sessions.Find(token));
    }

    [Fact]
    public void SessionEndsAfterTwelveHours_HoweverActive()
    {
        var sessions = new ConsoleSessions(_time);
        var (token, _) = sessions.Start("admin");

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            Assert.NotNull(sessions.Find(token));
        }

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Null(sessions.Find(token));
    }

    [Fact]
    public void End_EndsTheSessionAtOnce()
    {
        var sessions = new ConsoleSessions(_time);
        var (token, _) = sessions.Start("admin");

        Assert.True(sessions.End(token));

        Assert.Null(sessions.Find(token));
        Assert.False(sessions.End(token));
    }
}
