using System.Data.Common;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>sessions</c> table, the same SQL on both engines.</summary>
internal sealed class SessionRepository(IStatementRunner runner) : ISessionRepository
{
    private const string Columns = "id, token_hash, kind, actor, email, groups_json, created_at, expires_at, last_seen_at, ended_at";

    public Task InsertAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return runner.ExecuteAsync(
            new($"INSERT INTO sessions ({Columns}) VALUES (@id, @hash, @kind, @actor, @email, @groups, @created, @expires, @seen, NULL);",
                ("id", session.Id), ("hash", session.TokenHash), ("kind", session.Kind), ("actor", session.Actor), ("email", session.Email),
                ("groups", JsonSerializer.Serialize(session.Groups)), ("created", runner.Time(session.CreatedAt)), ("expires", runner.Time(session.ExpiresAt)),
                ("seen", runner.Time(session.LastSeenAt))),
            cancellationToken);
    }

    public async Task<SessionRecord?> FindAsync(string tokenHash, CancellationToken cancellationToken) =>
        await runner.QueryAsync(new($"SELECT {Columns} FROM sessions WHERE token_hash = @hash;", ("hash", tokenHash)), Read, cancellationToken) is [var found, ..] ? found : null;

    public Task TouchAsync(string tokenHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(new("UPDATE sessions SET last_seen_at = @at WHERE token_hash = @hash AND ended_at IS NULL;", ("hash", tokenHash), ("at", runner.Time(at))), cancellationToken);

    public async Task<bool> EndByHashAsync(string tokenHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        await runner.ExecuteAsync(new("UPDATE sessions SET ended_at = @at WHERE token_hash = @hash AND ended_at IS NULL;", ("hash", tokenHash), ("at", runner.Time(at))), cancellationToken) > 0;

    public async Task<bool> EndByIdAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await runner.ExecuteAsync(new("UPDATE sessions SET ended_at = @at WHERE id = @id AND ended_at IS NULL;", ("id", id), ("at", runner.Time(at))), cancellationToken) > 0;

    public Task<int> EndAllOfAsync(string actor, DateTimeOffset at, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(new("UPDATE sessions SET ended_at = @at WHERE actor = @actor AND ended_at IS NULL;", ("actor", actor), ("at", runner.Time(at))), cancellationToken);

    public async Task<IReadOnlyList<SessionRecord>> ListLiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await runner.QueryAsync(
            new($"SELECT {Columns} FROM sessions WHERE ended_at IS NULL AND expires_at > @now ORDER BY created_at DESC LIMIT @limit;", ("now", runner.Time(now)), ("limit", limit)),
            Read, cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(new("DELETE FROM sessions WHERE expires_at < @before OR ended_at < @before;", ("before", runner.Time(before))), cancellationToken);

    private static SessionRecord Read(DbDataReader r, TimeColumnReader time) => new()
    {
        Id = r.GetString(0),
        TokenHash = r.GetString(1),
        Kind = r.GetString(2),
        Actor = r.GetString(3),
        Email = SqlDatabase.ReadText(r, 4),
        Groups = JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [],
        CreatedAt = time(r, 6),
        ExpiresAt = time(r, 7),
        LastSeenAt = time(r, 8),
        EndedAt = r.IsDBNull(9) ? null : time(r, 9),
    };
}
