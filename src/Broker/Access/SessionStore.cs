using System.Security.Cryptography;
using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Access;

/// <summary>
/// People's sessions (SPEC §14), kept in the database by token hash so every instance sees a sign-out or revocation at once.
/// A session ends on sign-out or revocation, after its idle timeout without a request (30 minutes in the console, 8 hours
/// for the CLI), and 12 hours after it started in any case. The token itself is returned once, by <see cref="StartAsync"/>.
/// </summary>
public sealed class SessionStore(ISessionRepository repository, TimeProvider time)
{
    public const string TokenPrefix = "avs_";
    public const string CookieName = "agent_vault_session";

    /// <summary>How often the last-seen time is written at most (a request within it is not a write).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(12);

    public static TimeSpan IdleTimeout(string kind) => kind == SessionRecord.Cli ? TimeSpan.FromHours(8) : TimeSpan.FromMinutes(30);

    /// <summary>Starts a session; returns the token (shown nowhere else) and its record.</summary>
    public async Task<(string Token, SessionRecord Session)> StartAsync(string kind, string actor, string? email, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var token = TokenGenerator.NewSessionToken();
        var hash = TokenHasher.Hash(token);
        var now = time.GetUtcNow();
        var session = new SessionRecord
        {
            Id = "ses_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            TokenHash = hash,
            Kind = kind,
            Actor = actor,
            Email = email,
            Groups = groups,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            LastSeenAt = now,
        };
        await repository.InsertAsync(session, cancellationToken);
        return (token, session);
    }

    /// <summary>The live session of <paramref name="token"/> (its last-seen time updated); null when there is none, or it ended or expired.</summary>
    public async Task<SessionRecord?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var session = await FindLiveAsync(token, cancellationToken);
        if (session is not null && time.GetUtcNow() - session.LastSeenAt >= TouchInterval)
        {
            await repository.TouchAsync(session.TokenHash, time.GetUtcNow(), cancellationToken);
        }

        return session;
    }

    /// <summary>
    /// Whether <paramref name="token"/> still has a live session, without touching it: for a long-running response (the live
    /// request log) that must end with the session but is not itself activity that keeps it alive.
    /// </summary>
    public async Task<bool> IsLiveAsync(string? token, CancellationToken cancellationToken) => await FindLiveAsync(token, cancellationToken) is not null;

    /// <summary>Ends the session of <paramref name="token"/> (sign-out); the ended record, or null when there was no live one.</summary>
    public async Task<SessionRecord?> EndAsync(string? token, CancellationToken cancellationToken)
    {
        var session = await FindLiveAsync(token, cancellationToken);
        return session is not null && await repository.EndByHashAsync(session.TokenHash, time.GetUtcNow(), cancellationToken) ? session : null;
    }

    /// <summary>Revokes a session by its public id.</summary>
    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) => repository.EndByIdAsync(id, time.GetUtcNow(), cancellationToken);

    /// <summary>Revokes every session of <paramref name="actor"/>; how many were live.</summary>
    public Task<int> RevokeAllOfAsync(string actor, CancellationToken cancellationToken) => repository.EndAllOfAsync(actor, time.GetUtcNow(), cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListLiveAsync(CancellationToken cancellationToken) => repository.ListLiveAsync(time.GetUtcNow(), 500, cancellationToken);

    /// <summary>The caller a live session stands for.</summary>
    public static Caller CallerOf(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Email is null
            ? Caller.AdminToken with { SessionId = session.Id }
            : new Caller(CallerKind.Person, session.Email.ToLowerInvariant(), session.Groups, session.Id);
    }

    private async Task<SessionRecord?> FindLiveAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var session = await repository.FindAsync(TokenHasher.Hash(token), cancellationToken);
        var now = time.GetUtcNow();
        return session is null || session.EndedAt is not null || now >= session.ExpiresAt || now - session.LastSeenAt >= IdleTimeout(session.Kind) ? null : session;
    }
}
