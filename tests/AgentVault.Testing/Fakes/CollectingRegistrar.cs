using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Testing.Fakes;

/// <summary>Collects what a plugin registers, as the plugin host does, so tests reach factories only through the plugin entry point.</summary>
public sealed class CollectingRegistrar : IPluginRegistrar
{
    public List<ISecretStoreFactory> StoreTypes { get; } = [];

    public List<IAuthSchemeFactory> AuthSchemes { get; } = [];

    public void AddSecretStoreType(ISecretStoreFactory factory) => StoreTypes.Add(factory);

    public void AddAuthScheme(IAuthSchemeFactory factory) => AuthSchemes.Add(factory);

    /// <summary>Registers <paramref name="plugin"/> and returns the store factory of <paramref name="type"/>.</summary>
    public static ISecretStoreFactory StoreFactory(IAgentVaultPlugin plugin, string type)
    {
        var registrar = new CollectingRegistrar();
        plugin.Register(registrar);
        return registrar.StoreTypes.Single(f => f.Type == type);
    }
}
