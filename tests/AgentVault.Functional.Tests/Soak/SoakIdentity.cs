using System.Diagnostics;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// One token of one agent (an agent gets a new identity when its token is rotated, or is replaced by a new agent): its
/// clients per vault, when its revocation began and when the broker confirmed it (monotonic timestamps), and how many
/// requests use it right now, so its clients are disposed only once idle.
/// </summary>
internal sealed class SoakIdentity : IDisposable
{
    private readonly Dictionary<string, SoakClients> _clients;
    private long _revoking;
    private long _revoked;
    private int _users;

    public SoakIdentity(BrokerEnvironment broker, string agent, string token, IReadOnlyList<string> vaults)
    {
        Agent = agent;
        Vaults = vaults;
        _clients = vaults.ToDictionary(v => v, v => new SoakClients(broker, token, v), StringComparer.Ordinal);
    }

    public string Agent { get; }

    public IReadOnlyList<string> Vaults { get; }

    /// <summary>When the operator began to revoke this token (<see cref="Stopwatch.GetTimestamp"/>), or 0.</summary>
    public long RevokingSince => Interlocked.Read(ref _revoking);

    /// <summary>When the broker answered the revocation (the CLI or API call returned), or 0.</summary>
    public long RevokedAt => Interlocked.Read(ref _revoked);

    public SoakClients ClientsFor(string vault) => _clients[vault];

    public void MarkRevoking() => Interlocked.Exchange(ref _revoking, Stopwatch.GetTimestamp());

    public void MarkRevoked() => Interlocked.Exchange(ref _revoked, Stopwatch.GetTimestamp());

    /// <summary>Counts a request using this identity; pair with <see cref="Exit"/>.</summary>
    public void Enter() => Interlocked.Increment(ref _users);

    public void Exit() => Interlocked.Decrement(ref _users);

    /// <summary>Waits (deadline poll) until no request uses the identity any more, then disposes its clients.</summary>
    public async Task RetireAsync(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (Volatile.Read(ref _users) > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Dispose();
    }

    public void Dispose()
    {
        foreach (var clients in _clients.Values)
        {
            clients.Dispose();
        }
    }
}
