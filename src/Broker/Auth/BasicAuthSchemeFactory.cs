using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary><c>basic</c>: <c>username: KEY</c>, optional <c>password: KEY</c> → <c>Authorization: Basic base64(user:pass)</c>.</summary>
internal sealed class BasicAuthSchemeFactory : IAuthSchemeFactory, IAuthSchemeKeys
{
    public string Name => "basic";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["username", "password"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        KnownSettings.Check(settings, validation, "username", "password");
        CredentialKeys.Check(settings.GetString("username"), "username", validation, required: true);
        CredentialKeys.Check(settings.GetString("password"), "password", validation, required: false);
    }

    public IReadOnlyList<string> GetCredentialKeys(PluginSettings settings)
    {
        var keys = new List<string>(2);
        if (settings.GetString("username") is { } user)
        {
            keys.Add(user);
        }

        if (settings.GetString("password") is { } password && password != settings.GetString("username"))
        {
            keys.Add(password);
        }

        return keys;
    }

    public IAuthScheme Create(AuthSchemeContext context) =>
        new BasicAuthScheme(context.Settings.GetString("username") ?? string.Empty, context.Settings.GetString("password"));
}
