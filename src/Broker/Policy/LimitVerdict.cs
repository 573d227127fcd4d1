namespace AgentVault.Broker.Policy;

/// <summary>Outcome of <see cref="RequestLimiter.TryAcquire"/>: a lease to dispose when the request (or WebSocket) ends, or a refusal.</summary>
internal sealed class LimitVerdict : IDisposable
{
    private IDisposable? _slot;

    private LimitVerdict(IDisposable? slot, TimeSpan retryAfter, string? limit)
    {
        _slot = slot;
        RetryAfter = retryAfter;
        Limit = limit;
    }

    /// <summary>True when the request may proceed.</summary>
    public bool Acquired => Limit is null;

    /// <summary>When refused: how long the agent should wait (whole seconds, at least 1) — the <c>Retry-After</c> value.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>When refused: which limit (<c>agent rate</c>, <c>agent concurrency</c>, <c>service rate</c>), for the problem detail.</summary>
    public string? Limit { get; }

    /// <summary>Whole seconds for the <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => (int)Math.Max(1, Math.Ceiling(RetryAfter.TotalSeconds));

    public static LimitVerdict Allow(IDisposable slot) => new(slot, TimeSpan.Zero, null);

    public static LimitVerdict Refuse(string limit, TimeSpan retryAfter) => new(null, retryAfter, limit);

    /// <summary>Releases the in-flight slot.</summary>
    public void Dispose() => Interlocked.Exchange(ref _slot, null)?.Dispose();
}
