using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Circuit state and cache figures by store; a store not listed has none.</summary>
internal sealed class FakeStoreStatistics : IStoreStatistics
{
    public Dictionary<string, StoreStatistics> Stores { get; } = new(StringComparer.Ordinal);

    public StoreStatistics Get(string store) => Stores.GetValueOrDefault(store) ?? StoreStatistics.None;
}
