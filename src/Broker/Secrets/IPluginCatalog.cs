using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>What the plugin host loaded (plus built-in auth schemes): store types, auth schemes and per-plugin status.</summary>
public interface IPluginCatalog
{
    IReadOnlyList<PluginInfo> Plugins { get; }

    IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; }

    IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; }
}
