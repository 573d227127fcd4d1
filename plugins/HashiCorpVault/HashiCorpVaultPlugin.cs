using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class HashiCorpVaultPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
