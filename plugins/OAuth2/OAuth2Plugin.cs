using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Registers the auth schemes that mint OAuth 2.0 access tokens.</summary>
public sealed class OAuth2Plugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddAuthScheme(new ClientCredentialsSchemeFactory());
        registrar.AddAuthScheme(new RefreshTokenSchemeFactory());
        registrar.AddAuthScheme(new JwtBearerSchemeFactory());
    }
}
