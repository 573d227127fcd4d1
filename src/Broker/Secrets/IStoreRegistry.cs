using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>The configured store instances, rebuilt when the store definitions change; a store whose type is missing is unavailable with a reason.</summary>
public interface IStoreRegistry
{
    /// <summary>Returns the live instance of a store, or null with the reason it is unavailable (unknown store, missing plugin type, bad settings).</summary>
    ISecretStore? Find(string storeName, out string? unavailableReason);
}
