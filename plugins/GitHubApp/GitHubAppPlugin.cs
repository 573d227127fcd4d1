using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class GitHubAppPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
