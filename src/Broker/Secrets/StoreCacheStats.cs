namespace AgentVault.Broker.Secrets;

/// <summary>A store's cache figures: values held now, and hits, misses and stale serves since the broker started.</summary>
internal sealed record StoreCacheStats(long Entries, long Hits, long Misses, long StaleServes)
{
    public static StoreCacheStats Empty { get; } = new(0, 0, 0, 0);
}
