using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Registers the secret-store type <c>hashicorp-vault</c> (KV v1/v2 and leased dynamic secrets over Vault's HTTP API).</summary>
public sealed class HashiCorpVaultPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new VaultStoreFactory());
    }
}
