namespace AgentVault.Broker.Security;

/// <summary>
/// A signed-in person's session. The browser holds its token (<c>avs_…</c>) in an HttpOnly cookie; the server keeps only the
/// token's SHA-256 hash (<see cref="ConsoleSessions"/>). The token also authenticates the console's own calls to the
/// management API, so every change made in the console passes the API's checks.
/// </summary>
internal sealed class ConsoleSession
{
    private long _lastSeenTicks;

    public ConsoleSession(string id, string actor, DateTimeOffset startedAt, DateTimeOffset expiresAt)
    {
        Id = id;
        Actor = actor;
        StartedAt = startedAt;
        ExpiresAt = expiresAt;
        _lastSeenTicks = startedAt.UtcTicks;
    }

    /// <summary>A short, non-secret name of the session for logs (the first characters of the token's hash).</summary>
    public string Id { get; }

    /// <summary>Who signed in: <c>admin</c> for the admin token.</summary>
    public string Actor { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>When the session ends however active it is.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public DateTimeOffset LastSeen => new(Volatile.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public void Touch(DateTimeOffset now) => Volatile.Write(ref _lastSeenTicks, now.UtcTicks);

    public override string ToString() => $"session {Id} of {Actor}";
}
