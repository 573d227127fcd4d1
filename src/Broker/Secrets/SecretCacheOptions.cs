namespace AgentVault.Broker.Secrets;

/// <summary>Tuning of the secret cache; store and credential settings (<c>cache.ttl</c>, <c>cache.max_stale</c>, <c>ttl</c>) override the first two.</summary>
internal sealed class SecretCacheOptions
{
    /// <summary>TTL of a cached value when neither the store nor the credential sets one.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a cached value is served while its store fails, when the store does not set <c>max_stale</c>.</summary>
    public TimeSpan DefaultMaxStale { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a not-found answer is remembered, so a typo does not hammer the store.</summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one store read.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A hit after this fraction of the TTL starts one background refresh.</summary>
    public double RefreshAheadFraction { get; set; } = 0.8;

    /// <summary>A value with a lease or expiry is fresh until this long before the end (at most 10% of its lifetime).</summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive unavailable errors that open a store's circuit.</summary>
    public int BreakerThreshold { get; set; } = 5;

    /// <summary>How long an open circuit fails fast before one probe is let through.</summary>
    public TimeSpan BreakerCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Period of the maintenance loop (lease renewal, eviction of idle entries).</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entries unused for this long are dropped (their leases revoked).</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromHours(1);
}
