namespace AgentVault.Broker.Secrets;

/// <summary>What the cache knows of one store: its circuit state and its cache figures.</summary>
internal sealed record StoreStatistics(CircuitState Circuit, StoreCacheStats Cache)
{
    public static StoreStatistics None { get; } = new(CircuitState.Closed, StoreCacheStats.Empty);
}
