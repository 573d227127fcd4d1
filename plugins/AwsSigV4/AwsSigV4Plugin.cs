using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class AwsSigV4Plugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
