namespace AgentVault.Broker.Model;

/// <summary>Cache settings of a store; durations as written (<c>60s</c>, <c>5m</c>, <c>0</c>).</summary>
public sealed record CacheDefinition
{
    /// <summary>Time to live of a cached value (default 60s).</summary>
    public string? Ttl { get; init; }

    /// <summary>How long a cached value may be served while the store fails (default 5m; 0 = fail closed).</summary>
    public string? MaxStale { get; init; }
}
