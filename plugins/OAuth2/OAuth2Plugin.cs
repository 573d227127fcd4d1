using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class OAuth2Plugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
