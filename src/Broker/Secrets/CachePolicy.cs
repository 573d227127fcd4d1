namespace AgentVault.Broker.Secrets;

/// <summary>How long one credential may use a cached value: the store's TTL and max-stale, and the credential's own TTL (which wins).</summary>
internal readonly record struct CachePolicy(TimeSpan StoreTtl, TimeSpan MaxStale, TimeSpan? CredentialTtl);
