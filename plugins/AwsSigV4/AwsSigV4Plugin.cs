using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary>Registers the auth scheme <c>aws-sigv4</c>.</summary>
public sealed class AwsSigV4Plugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddAuthScheme(new SigV4SchemeFactory());
    }
}
