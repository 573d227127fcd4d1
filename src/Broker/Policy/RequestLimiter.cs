using System.Threading.RateLimiting;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Policy;

/// <summary>
/// Per-agent request rate and in-flight limits (server defaults from <see cref="ServerOptions"/>, overridable per agent)
/// and per-service <c>rate_limit</c>s. Non-blocking: a request either gets a slot at once or is refused with a
/// Retry-After. The slot is held until the verdict is disposed, so a WebSocket holds one while it is open.
/// Partitions are keyed by their settings as well, so a changed limit takes effect with a fresh bucket.
/// </summary>
internal sealed class RequestLimiter : IDisposable
{
    private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly RateLimitSpec _defaultRate;
    private readonly int _defaultBurst;
    private readonly int _defaultInFlight;
    private readonly PartitionedRateLimiter<(string Agent, int Max)> _inFlight;
    private readonly PartitionedRateLimiter<(string Agent, RateLimitSpec Spec, int Burst)> _agentRate;
    private readonly PartitionedRateLimiter<(string Vault, string Service, RateLimitSpec Spec)> _serviceRate;

    public RequestLimiter(ServerOptions options)
        : this(RateLimitSpec.TryParse(options.AgentRateLimit, out var rate) ? rate : new RateLimitSpec(50, TimeSpan.FromSeconds(1)), options.AgentBurst, options.AgentMaxInFlight)
    {
    }

    public RequestLimiter(RateLimitSpec defaultRate, int defaultBurst, int defaultInFlight)
    {
        _defaultRate = defaultRate;
        _defaultBurst = Math.Max(defaultBurst, defaultRate.Count);
        _defaultInFlight = Math.Max(1, defaultInFlight);
        _inFlight = PartitionedRateLimiter.Create<(string Agent, int Max), (string, int)>(key =>
            RateLimitPartition.GetConcurrencyLimiter(key, k => new ConcurrencyLimiterOptions { PermitLimit = k.Max, QueueLimit = 0 }));
        _agentRate = PartitionedRateLimiter.Create<(string Agent, RateLimitSpec Spec, int Burst), (string, RateLimitSpec, int)>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, k => k.Spec.ToTokenBucket(k.Burst)));
        _serviceRate = PartitionedRateLimiter.Create<(string Vault, string Service, RateLimitSpec Spec), (string, string, RateLimitSpec)>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, k => k.Spec.ToTokenBucket(k.Spec.Count)));
    }

    /// <summary>
    /// Takes an in-flight slot and one token from the agent's and the service's buckets. <paramref name="agentLimit"/> holds the
    /// agent's compiled overrides of the server defaults (a bucket of N for an <c>N/window</c> override);
    /// <paramref name="serviceRate"/> is the service's compiled <c>rate_limit</c> (null: none). Once the in-flight slot is taken,
    /// <paramref name="takePrepaidToken"/> may answer that the agent's token was paid already (by the CONNECT of the tunnel
    /// the request arrived in); a request refused for concurrency leaves that token for the next one. Nothing is parsed here.
    /// </summary>
    public LimitVerdict TryAcquire(string agent, AgentLimit agentLimit, string vault, string service, RateLimitSpec? serviceRate, Func<bool>? takePrepaidToken = null)
    {
        var slot = _inFlight.AttemptAcquire((agent, agentLimit.MaxInFlight ?? _defaultInFlight));
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return LimitVerdict.Refuse("agent concurrency", ConcurrencyRetryAfter);
        }

        if (takePrepaidToken?.Invoke() != true && !TryTakeAgentToken(agent, agentLimit, out var agentRetry))
        {
            slot.Dispose();
            return LimitVerdict.Refuse("agent rate", agentRetry);
        }

        if (serviceRate is { } serviceSpec)
        {
            using var token = _serviceRate.AttemptAcquire((vault, service, serviceSpec));
            if (!token.IsAcquired)
            {
                slot.Dispose();
                return LimitVerdict.Refuse("service rate", RetryAfter(token, serviceSpec));
            }
        }

        return LimitVerdict.Allow(slot);
    }

    /// <summary>Takes one token from the agent's request-rate bucket (no in-flight slot); false with the wait when it is empty.</summary>
    public bool TryTakeAgentToken(string agent, AgentLimit agentLimit, out TimeSpan retryAfter)
    {
        var (rate, burst) = agentLimit.Rate is { } custom ? (custom, custom.Count) : (_defaultRate, _defaultBurst);
        using var token = _agentRate.AttemptAcquire((agent, rate, burst));
        retryAfter = token.IsAcquired ? TimeSpan.Zero : RetryAfter(token, rate);
        return token.IsAcquired;
    }

    public void Dispose()
    {
        _inFlight.Dispose();
        _agentRate.Dispose();
        _serviceRate.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease, RateLimitSpec spec) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : spec.Window / spec.Count;
}
