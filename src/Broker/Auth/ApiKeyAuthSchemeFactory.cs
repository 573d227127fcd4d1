using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary><c>api-key</c>: <c>key: KEY</c>, <c>header</c> (default <c>Authorization</c>), literal <c>prefix</c> (e.g. <c>"Token "</c>).</summary>
internal sealed class ApiKeyAuthSchemeFactory : IAuthSchemeFactory, IAuthSchemeKeys
{
    private const string DefaultHeader = "Authorization";

    public string Name => "api-key";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["key"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        KnownSettings.Check(settings, validation, "key", "header", "prefix");
        CredentialKeys.Check(settings.GetString("key"), "key", validation, required: true);
        var header = settings.GetString("header");
        if (header is not null && !HeaderValues.IsSettableName(header))
        {
            validation.Add("header", "must be a valid header name, and not Host, Content-Length, Transfer-Encoding, a hop-by-hop or a Proxy-* header");
        }

        var prefix = settings.GetString("prefix");
        if (prefix is not null && !HeaderValues.IsSafeValue(prefix))
        {
            validation.Add("prefix", "must not contain CR, LF or NUL");
        }
    }

    public IReadOnlyList<string> GetCredentialKeys(PluginSettings settings) =>
        settings.GetString("key") is { } key ? [key] : [];

    public IAuthScheme Create(AuthSchemeContext context) =>
        new PrefixedHeaderAuthScheme(
            context.Settings.GetString("header") ?? DefaultHeader,
            context.Settings.GetString("prefix") ?? string.Empty,
            context.Settings.GetString("key") ?? string.Empty);
}
