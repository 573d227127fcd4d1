using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentVault.Broker.Notifications;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// The requests this broker instance holds for a person's decision, the recent decisions (so a late second decision gets 409,
/// not 404) and the standing grants. In memory and lock-free: a concurrent dictionary of held requests, one counter per
/// vault for the bound, and one <see cref="TaskCompletionSource{TResult}"/> per request that the first decision completes.
/// Publishes <c>approval.requested</c> and <c>approval.decided</c>.
/// </summary>
internal sealed class ApprovalRegistry
{
    /// <summary>Most requests held at once in one vault; one more is refused with 429.</summary>
    public const int MaxPendingPerVault = 100;

    /// <summary>Most decided requests remembered (oldest forgotten first).</summary>
    public const int MaxRemembered = 1000;

    /// <summary>How long a decided request stays listed.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(15);

    public const string ConsolePath = "/ui/approvals";

    private readonly ConcurrentDictionary<string, HeldRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _pendingPerVault = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HeldRequest> _decided = new();
    private readonly TimeProvider _time;
    private readonly INotificationPublisher _publisher;
    private readonly ILogger _logger;

    public ApprovalRegistry(TimeProvider time, INotificationPublisher publisher, ILogger<ApprovalRegistry> logger)
    {
        _time = time;
        _publisher = publisher;
        _logger = logger;
        Grants = new StandingGrants(time);
    }

    public StandingGrants Grants { get; }

    public TimeProvider Time => _time;

    /// <summary>
    /// Registers <paramref name="held"/>, starts its timeout and tells people; false (nothing registered) when its vault
    /// already holds <see cref="MaxPendingPerVault"/> requests.
    /// </summary>
    public bool TryHold(HeldRequest held)
    {
        var pending = _pendingPerVault.GetOrAdd(held.Vault, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref pending.Value) > MaxPendingPerVault)
        {
            Interlocked.Decrement(ref pending.Value);
            return false;
        }

        _requests[held.Id] = held;
        held.StartTimer(_time, h => Decide(h, ApprovalStatus.Timeout, ApprovalActors.Broker));
        ApprovalsLog.RequestHeld(_logger, held.Id, held.Method, held.Host, held.Port, held.Agent, held.Vault, held.Service);
        _publisher.Publish(new NotificationEvent(NotificationEvents.ApprovalRequested, held.Id, held.Vault, held.Agent,
            $"{held.Agent} asks to {held.Method} {held.Host}{held.Path} ({held.Service})", ConsolePath));
        return true;
    }

    /// <summary>A person's (or the broker's) decision on the request <paramref name="id"/>; <paramref name="grantFor"/> with an approval also creates a standing grant.</summary>
    public DecideResult Decide(string id, ApprovalStatus status, string by, out HeldRequest? held, TimeSpan? grantFor = null)
    {
        if (!_requests.TryGetValue(id, out held))
        {
            return DecideResult.NotFound;
        }

        return Decide(held, status, by, grantFor) ? DecideResult.Decided : DecideResult.AlreadyDecided;
    }

    /// <summary>The first decision wins; false when <paramref name="held"/> was decided already.</summary>
    public bool Decide(HeldRequest held, ApprovalStatus status, string by, TimeSpan? grantFor = null)
    {
        // The grant is created only by the decision that wins, so a losing approval leaves nothing behind.
        var decision = new ApprovalDecision(status, by, _time.GetUtcNow());
        if (!held.TryDecide(decision))
        {
            return false;
        }

        if (_pendingPerVault.TryGetValue(held.Vault, out var pending))
        {
            Interlocked.Decrement(ref pending.Value);
        }

        var grant = held.Grant = status == ApprovalStatus.Approved && grantFor is { } duration ? Grants.Add(held, duration, by) : null;
        _decided.Enqueue(held);
        Forget();
        var name = Name(status);
        ApprovalsLog.RequestDecided(_logger, held.Id, name, by, grant?.Expires);
        _publisher.Publish(new NotificationEvent(NotificationEvents.ApprovalDecided, held.Id, held.Vault, held.Agent,
            $"{held.Method} {held.Host}{held.Path} of {held.Agent} ({held.Service}): {name} by {by}" + (grant is null ? string.Empty : $" for {Model.Durations.Format(grant.Expires - grant.Created)}"),
            ConsolePath, name, by));
        return true;
    }

    /// <summary>The request as it is now (pending or recently decided), or null.</summary>
    public HeldRequest? Find(string id) => _requests.TryGetValue(id, out var held) ? held : null;

    /// <summary>Held and recently decided requests, oldest first; only those of <paramref name="status"/> when given.</summary>
    public IReadOnlyList<HeldRequest> List(ApprovalStatus? status = null)
    {
        Forget();
        // Enumerating the dictionary takes no lock (its Values property would take them all).
        return [.. _requests.Select(e => e.Value).Where(r => status is null || r.Status == status).OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>Denies every pending request (the broker is stopping: held requests do not survive it).</summary>
    public int DenyAll(string by)
    {
        var denied = 0;
        foreach (var (_, held) in _requests)
        {
            if (Decide(held, ApprovalStatus.Denied, by))
            {
                denied++;
            }
        }

        return denied;
    }

    /// <summary>The status as the API and the request log write it.</summary>
    public static string Name(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Denied => "denied",
        ApprovalStatus.Timeout => "timeout",
        _ => "cancelled",
    };

    public static bool TryParse(string? text, out ApprovalStatus status)
    {
        foreach (var candidate in Enum.GetValues<ApprovalStatus>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = ApprovalStatus.Pending;
        return false;
    }

    // Decided requests are remembered for a while and up to a number; the queue is in decision order.
    private void Forget()
    {
        var cutoff = _time.GetUtcNow() - RememberFor;
        while (_decided.TryPeek(out var oldest) && (_decided.Count > MaxRemembered || oldest.Outcome is not { } outcome || outcome.At < cutoff))
        {
            if (_decided.TryDequeue(out var dropped))
            {
                _requests.TryRemove(KeyValuePair.Create(dropped.Id, dropped));
            }
        }
    }
}
