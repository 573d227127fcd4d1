using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.FileStore;

/// <summary>Registers the built-in development store type <c>file</c>.</summary>
public sealed class FileStorePlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new FileStoreFactory());
    }
}
