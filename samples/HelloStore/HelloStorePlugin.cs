using AgentVault.Abstractions.Plugins;

namespace HelloStore;

/// <summary>Entry point: the broker creates this class and calls <see cref="Register"/> once at start-up.</summary>
public sealed class HelloStorePlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddSecretStoreType(new HelloStoreFactory());
    }
}
