using System.Security.Cryptography;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// One request waiting for a person: what it is (method, host, path, never headers or body) and the one decision it gets. The
/// first of approve, deny, timeout or the agent going away wins (<see cref="TryDecide"/>); the request handler awaits
/// <see cref="Decision"/>.
/// </summary>
internal sealed class HeldRequest
{
    private readonly TaskCompletionSource<ApprovalDecision> _decision = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;

    public HeldRequest(string agent, string vault, string service, string rule, string method, string host, int port, string path, DateTimeOffset created, TimeSpan timeout)
    {
        Id = NewId();
        Agent = agent;
        Vault = vault;
        Service = service;
        Rule = rule;
        Method = method;
        Host = host;
        Port = port;
        Path = path;
        Created = created;
        Expires = created + timeout;
    }

    public string Id { get; }

    public string Agent { get; }

    public string Vault { get; }

    public string Service { get; }

    /// <summary>The approve rule that held it, as written in the configuration.</summary>
    public string Rule { get; }

    public string Method { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The path without the query (the query may carry what the agent would not want shown).</summary>
    public string Path { get; }

    public DateTimeOffset Created { get; }

    /// <summary>When the request is refused with <c>approval_timeout</c> unless someone decides first.</summary>
    public DateTimeOffset Expires { get; }

    public Task<ApprovalDecision> Decision => _decision.Task;

    /// <summary>The decision once made; null while pending.</summary>
    public ApprovalDecision? Outcome => _decision.Task.IsCompletedSuccessfully ? _decision.Task.Result : null;

    public ApprovalStatus Status => Outcome?.Status ?? ApprovalStatus.Pending;

    /// <summary>The standing grant its approval created (<c>for</c>), if any.</summary>
    public StandingGrant? Grant { get; set; }

    /// <summary>Sets the decision unless another came first; stops the timeout.</summary>
    public bool TryDecide(ApprovalDecision decision)
    {
        if (!_decision.TrySetResult(decision))
        {
            return false;
        }

        Interlocked.Exchange(ref _timer, null)?.Dispose();
        return true;
    }

    /// <summary>Starts the timeout (the registry does, once the request is registered).</summary>
    public void StartTimer(TimeProvider time, Action<HeldRequest> expire)
    {
        var timer = time.CreateTimer(static state => ((Action)state!)(), (Action)(() => expire(this)), Expires - Created, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _timer, timer)?.Dispose();

        // Decided before the timer was stored: nothing else will dispose it.
        if (Outcome is not null)
        {
            Interlocked.Exchange(ref _timer, null)?.Dispose();
        }
    }

    public override string ToString() => $"{Id} {Method} {Host}:{Port}{Path} ({Agent}@{Vault}, {Service}) {Status}";

    private static string NewId() => "apr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
