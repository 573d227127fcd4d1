using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.OAuth2;

/// <summary><c>oauth2-client-credentials</c>: client id and secret exchanged for an access token (RFC 6749 §4.4).</summary>
internal sealed class ClientCredentialsSchemeFactory : IAuthSchemeFactory
{
    private static readonly string[] Known = ["token_url", "client_id", "client_secret", "scope", "audience", "resource", "auth_method"];

    public string Name => "oauth2-client-credentials";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["client_id", "client_secret"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        SettingChecks.Known(settings, validation, Known);
        EndpointUrl.Check(settings, validation, "token_url", required: true);
        SettingChecks.Key(settings, validation, "client_id", required: true);
        SettingChecks.Key(settings, validation, "client_secret", required: true);
        SettingChecks.OneOf(settings, validation, "auth_method", ClientAuthentication.Basic, ClientAuthentication.Post);
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ClientCredentialsScheme(context);
    }
}
