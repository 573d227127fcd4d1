using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Security;

/// <summary>
/// The console's sessions, in memory: a session ends on sign-out, after <see cref="IdleTimeout"/> without a request, after
/// <see cref="Lifetime"/> in any case, and when the broker restarts. Keyed by the SHA-256 hash of the token, so a memory dump
/// holds no usable token.
/// </summary>
internal sealed class ConsoleSessions
{
    public const string TokenPrefix = "avs_";
    public const string CookieName = "agent_vault_session";

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ConsoleSessions(TimeProvider time) => _time = time;

    public static TimeSpan IdleTimeout { get; } = TimeSpan.FromMinutes(30);

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(12);

    public int Count => _sessions.Count;

    /// <summary>Starts a session for <paramref name="actor"/>; returns the token to put in the cookie (shown nowhere else).</summary>
    public (string Token, ConsoleSession Session) Start(string actor)
    {
        RemoveExpired();
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = Hash(token);
        var now = _time.GetUtcNow();
        var session = new ConsoleSession(hash[..12], actor, now, now + Lifetime);
        _sessions[hash] = session;
        return (token, session);
    }

    /// <summary>The live session of <paramref name="token"/>, touched; null when there is none or it expired.</summary>
    public ConsoleSession? Find(string? token)
    {
        if (!TryGet(token, out var hash, out var session))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (HasEnded(session, now))
        {
            _sessions.TryRemove(hash, out _);
            return null;
        }

        session.Touch(now);
        return session;
    }

    /// <summary>
    /// Whether <paramref name="token"/> still has a live session, without touching it: for a long-running response (the
    /// live request log) that must end with the session but is not itself activity that keeps it alive.
    /// </summary>
    public bool IsLive(string? token) => TryGet(token, out _, out var session) && !HasEnded(session, _time.GetUtcNow());

    /// <summary>Ends the session of <paramref name="token"/> at once (sign-out); true when there was one.</summary>
    public bool End(string? token) => token is not null && _sessions.TryRemove(Hash(token), out _);

    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (hash, session) in _sessions)
        {
            if (HasEnded(session, now))
            {
                _sessions.TryRemove(hash, out _);
            }
        }
    }

    private static bool HasEnded(ConsoleSession session, DateTimeOffset now) => now >= session.ExpiresAt || now - session.LastSeen >= IdleTimeout;

    private bool TryGet(string? token, out string hash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConsoleSession? session)
    {
        hash = string.Empty;
        session = null;
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return false;
        }

        hash = Hash(token);
        return _sessions.TryGetValue(hash, out session);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
