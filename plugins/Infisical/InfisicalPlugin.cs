using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.Infisical;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class InfisicalPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
