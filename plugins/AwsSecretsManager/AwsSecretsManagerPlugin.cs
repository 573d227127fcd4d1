using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Registers the secret-store type <c>aws-secrets-manager</c>.</summary>
public sealed class AwsSecretsManagerPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new AwsSecretsManagerStoreFactory(Environment.GetEnvironmentVariable));
    }
}
