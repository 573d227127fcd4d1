using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.FileStore;

/// <summary>Registers the built-in development store type <c>file</c>.</summary>
public sealed class FileStorePlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        // Filled in by the file-store work item.
    }
}
