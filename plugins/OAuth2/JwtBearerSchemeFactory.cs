using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.OAuth2;

/// <summary><c>jwt-bearer</c>: a service-account key signs an assertion exchanged for an access token (RFC 7523).</summary>
internal sealed class JwtBearerSchemeFactory : IAuthSchemeFactory
{
    private static readonly string[] Known = ["token_url", "private_key", "issuer", "subject", "audience", "scope", "algorithm"];

    public string Name => "jwt-bearer";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["private_key"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        SettingChecks.Known(settings, validation, Known);

        // Optional: a Google service-account JSON key names its token endpoint (token_uri).
        EndpointUrl.Check(settings, validation, "token_url", required: false);
        SettingChecks.Key(settings, validation, "private_key", required: true);
        SettingChecks.OneOf(settings, validation, "algorithm", "RS256", "ES256");
        foreach (var name in new[] { "issuer", "subject", "audience" })
        {
            if (settings.Find(name) is { } node && (settings.GetString(name) is not { Length: > 0 } || node is System.Text.Json.Nodes.JsonArray))
            {
                validation.Add(name, "must be a non-empty string");
            }
        }
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new JwtBearerScheme(context);
    }
}
