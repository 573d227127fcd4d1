using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary><c>bearer</c>: <c>token: KEY</c> → <c>Authorization: Bearer &lt;value&gt;</c>.</summary>
internal sealed class BearerAuthSchemeFactory : IAuthSchemeFactory, IAuthSchemeKeys
{
    public string Name => "bearer";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["token"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        KnownSettings.Check(settings, validation, "token");
        CredentialKeys.Check(settings.GetString("token"), "token", validation, required: true);
    }

    public IReadOnlyList<string> GetCredentialKeys(PluginSettings settings) =>
        settings.GetString("token") is { } key ? [key] : [];

    public IAuthScheme Create(AuthSchemeContext context) =>
        new PrefixedHeaderAuthScheme("Authorization", "Bearer ", context.Settings.GetString("token") ?? string.Empty);
}
