using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>Registers the secret-store type <c>azure-key-vault</c>.</summary>
public sealed class AzureKeyVaultPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new AzureKeyVaultStoreFactory());
    }
}
