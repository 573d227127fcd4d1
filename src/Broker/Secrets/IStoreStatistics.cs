namespace AgentVault.Broker.Secrets;

/// <summary>Reads a store's circuit state and cache figures (for <c>GET /v1/stores</c>); cheap, and never blocks a lookup.</summary>
internal interface IStoreStatistics
{
    /// <summary>The figures of <paramref name="store"/>; a store never read has a closed circuit and zero counts.</summary>
    StoreStatistics Get(string store);
}
