using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Broker.Tests.Access;

public sealed class SessionStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;
    private SessionStore _sessions = null!;
    private ISessionRepository _repository = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _repository = new SessionRepository(new SqliteStatementRunner(_db.Database));
        _sessions = new SessionStore(_repository, _time);
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Start_GivesARandomPrefixedToken_StoredOnlyAsItsHash()
    {
        var (first, session) = await _sessions.StartAsync(SessionRecord.Console, "alice@example.com", "alice@example.com", ["ops"], CancellationToken.None);
        var (second, _) = await _sessions.StartAsync(SessionRecord.Console, "alice@example.com", "alice@example.com", [], CancellationToken.None);

        Assert.StartsWith("avs_", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal(session.Id, (await _sessions.FindAsync(first, CancellationToken.None))!.Id);
        Assert.DoesNotContain(first[4..], session.TokenHash, StringComparison.Ordinal);
        Assert.DoesNotContain(first[4..], session.Id, StringComparison.Ordinal);
        Assert.Null(await _repository.FindAsync(first, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ava_not-a-session")]
    [InlineData("avs_unknown")]
    public async Task UnknownOrForeignToken_FindsNothing(string? token)
    {
        await _sessions.StartAsync(SessionRecord.Console, "admin-token", null, [], CancellationToken.None);

        Assert.Null(await _sessions.FindAsync(token, CancellationToken.None));
        Assert.False(await _sessions.IsLiveAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task ConsoleSessionIdleForThirtyMinutes_Ends_ButUseKeepsItAlive()
    {
        var (idle, _) = await _sessions.StartAsync(SessionRecord.Console, "a@example.com", "a@example.com", [], CancellationToken.None);
        var (used, _) = await _sessions.StartAsync(SessionRecord.Console, "a@example.com", "a@example.com", [], CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(await _sessions.FindAsync(used, CancellationToken.None));
        }

        Assert.Null(await _sessions.FindAsync(idle, CancellationToken.None));
        Assert.NotNull(await _sessions.FindAsync(used, CancellationToken.None));
    }

    [Fact]
    public async Task WatchingWithIsLive_DoesNotKeepAnIdleSessionAlive()
    {
        var (token, _) = await _sessions.StartAsync(SessionRecord.Console, "a@example.com", "a@example.com", [], CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(i < 2, await _sessions.IsLiveAsync(token, CancellationToken.None));
        }
    }

    [Fact]
    public async Task CliSession_OutlivesTheConsoleIdleTimeout_ButNotTwelveHours()
    {
        var (token, _) = await _sessions.StartAsync(SessionRecord.Cli, "a@example.com", "a@example.com", [], CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.NotNull(await _sessions.FindAsync(token, CancellationToken.None));
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromHours(2));
            Assert.NotNull(await _sessions.FindAsync(token, CancellationToken.None));
        }

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await _sessions.FindAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task EndAndRevoke_StopASessionAtOnce()
    {
        var (mine, _) = await _sessions.StartAsync(SessionRecord.Console, "a@example.com", "a@example.com", [], CancellationToken.None);
        var (other, otherSession) = await _sessions.StartAsync(SessionRecord.Cli, "b@example.com", "b@example.com", [], CancellationToken.None);

        Assert.NotNull(await _sessions.EndAsync(mine, CancellationToken.None));
        Assert.Null(await _sessions.EndAsync(mine, CancellationToken.None));
        Assert.Null(await _sessions.FindAsync(mine, CancellationToken.None));

        Assert.Equal([otherSession.Id], (await _sessions.ListLiveAsync(CancellationToken.None)).Select(s => s.Id));
        Assert.True(await _sessions.RevokeAsync(otherSession.Id, CancellationToken.None));
        Assert.Null(await _sessions.FindAsync(other, CancellationToken.None));
    }

    [Fact]
    public void CallerOf_APersonIsTheirEmail_AndAnAdminTokenSignInIsTheOwner()
    {
        var person = SessionStore.CallerOf(new SessionRecord
        {
            Id = "ses_1", TokenHash = "h", Kind = SessionRecord.Cli, Actor = "Alice@Example.com", Email = "Alice@Example.com", Groups = ["ops"],
            CreatedAt = _time.GetUtcNow(), ExpiresAt = _time.GetUtcNow(), LastSeenAt = _time.GetUtcNow(),
        });
        Assert.Equal((CallerKind.Person, "alice@example.com", "ses_1"), (person.Kind, person.Actor, person.SessionId));

        var admin = SessionStore.CallerOf(new SessionRecord
        {
            Id = "ses_2", TokenHash = "h", Kind = SessionRecord.Console, Actor = Caller.AdminTokenActor,
            CreatedAt = _time.GetUtcNow(), ExpiresAt = _time.GetUtcNow(), LastSeenAt = _time.GetUtcNow(),
        });
        Assert.Equal((CallerKind.AdminToken, "admin-token"), (admin.Kind, admin.Actor));
    }
}
