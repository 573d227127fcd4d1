using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.Infisical;

/// <summary>Registers the secret-store type <c>infisical</c> (secrets by path, and dynamic-secret leases, over Infisical's REST API).</summary>
public sealed class InfisicalPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new InfisicalStoreFactory());
    }
}
