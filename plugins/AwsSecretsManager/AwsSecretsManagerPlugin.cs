using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Plugin entry point (work in progress).</summary>
public sealed class AwsSecretsManagerPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
    }
}
