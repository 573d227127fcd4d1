using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Store instances by name; a name without an instance is unavailable.</summary>
internal sealed class FakeStoreRegistry : IStoreRegistry
{
    public Dictionary<string, ISecretStore> Stores { get; } = new(StringComparer.Ordinal);

    public ISecretStore? Find(string storeName, out string? unavailableReason)
    {
        unavailableReason = Stores.ContainsKey(storeName) ? null : $"no loaded plugin provides the type of store '{storeName}'";
        return Stores.GetValueOrDefault(storeName);
    }
}
