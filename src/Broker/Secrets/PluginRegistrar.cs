using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>Collects what one plugin registers; the catalog checks names against other plugins afterwards.</summary>
internal sealed class PluginRegistrar : IPluginRegistrar
{
    public List<ISecretStoreFactory> StoreTypes { get; } = [];

    public List<IAuthSchemeFactory> AuthSchemes { get; } = [];

    public void AddSecretStoreType(ISecretStoreFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(factory.Type))
        {
            throw new ArgumentException("a secret-store type needs a non-empty name", nameof(factory));
        }

        StoreTypes.Add(factory);
    }

    public void AddAuthScheme(IAuthSchemeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(factory.Name))
        {
            throw new ArgumentException("an auth scheme needs a non-empty name", nameof(factory));
        }

        AuthSchemes.Add(factory);
    }
}
