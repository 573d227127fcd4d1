using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class AzureKeyVaultPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
