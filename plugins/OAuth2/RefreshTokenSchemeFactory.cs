using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.OAuth2;

/// <summary><c>oauth2-refresh-token</c>: a stored refresh token exchanged for access tokens (RFC 6749 §6).</summary>
internal sealed class RefreshTokenSchemeFactory : IAuthSchemeFactory
{
    private static readonly string[] Known = ["token_url", "client_id", "client_secret", "refresh_token", "scope", "auth_method"];

    // One registry per loaded plugin: rotated refresh tokens live as long as the broker process.
    private readonly RefreshTokenChains _chains = new();

    public string Name => "oauth2-refresh-token";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["client_id", "client_secret", "refresh_token"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        SettingChecks.Known(settings, validation, Known);
        EndpointUrl.Check(settings, validation, "token_url", required: true);
        SettingChecks.Key(settings, validation, "client_id", required: true);
        SettingChecks.Key(settings, validation, "client_secret", required: false);
        SettingChecks.Key(settings, validation, "refresh_token", required: true);
        SettingChecks.OneOf(settings, validation, "auth_method", ClientAuthentication.Basic, ClientAuthentication.Post);
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RefreshTokenScheme(context, _chains);
    }
}
