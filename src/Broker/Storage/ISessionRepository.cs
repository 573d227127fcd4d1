using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>People's sign-in sessions (SPEC §14), by token hash; shared by every instance on the database.</summary>
public interface ISessionRepository
{
    Task InsertAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>The session of <paramref name="tokenHash"/>, ended or not; null when there is none.</summary>
    Task<SessionRecord?> FindAsync(string tokenHash, CancellationToken cancellationToken);

    Task TouchAsync(string tokenHash, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends the session with this token hash; false when it was unknown or had ended.</summary>
    Task<bool> EndByHashAsync(string tokenHash, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends the session with public id <paramref name="id"/>; false when it was unknown or had ended.</summary>
    Task<bool> EndByIdAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends every session of <paramref name="actor"/>; how many were live.</summary>
    Task<int> EndAllOfAsync(string actor, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sessions not ended and not expired at <paramref name="now"/>, newest first.</summary>
    Task<IReadOnlyList<SessionRecord>> ListLiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes sessions that ended or expired before <paramref name="before"/>.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
