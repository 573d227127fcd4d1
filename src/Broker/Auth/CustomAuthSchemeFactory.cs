using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary><c>custom</c>: <c>headers: { Name: "template with {{ KEY }}" }</c>, each header set from its template.</summary>
internal sealed class CustomAuthSchemeFactory : IAuthSchemeFactory, IAuthSchemeKeys
{
    public string Name => "custom";

    /// <summary>Empty: the keys live inside the <c>headers</c> templates, not in plain settings; see <see cref="GetCredentialKeys"/>.</summary>
    public IReadOnlyCollection<string> CredentialSettings { get; } = [];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        KnownSettings.Check(settings, validation, "headers");
        if (settings.Find("headers") is not JsonObject headers || headers.Count == 0)
        {
            validation.Add("headers", "is required: a map of header name to value template, e.g. { X-Api-Key: \"{{ API_KEY }}\" }");
            return;
        }

        foreach (var (name, node) in headers)
        {
            var path = "headers." + name;
            if (!HeaderValues.IsSettableName(name))
            {
                validation.Add(path, "is not a header name the broker may set (invalid token, Host, Content-Length, Transfer-Encoding, hop-by-hop or Proxy-*)");
            }

            if (node is not JsonValue value || !value.TryGetValue<string>(out var template))
            {
                validation.Add(path, "must be a string template");
                continue;
            }

            if (HeaderTemplate.TryParse(template, out var error) is null)
            {
                validation.Add(path, error!);
            }
        }
    }

    public IReadOnlyList<string> GetCredentialKeys(PluginSettings settings) =>
        ParseHeaders(settings).SelectMany(h => h.Template.Keys).Distinct(StringComparer.Ordinal).ToArray();

    public IAuthScheme Create(AuthSchemeContext context) => new CustomAuthScheme(ParseHeaders(context.Settings));

    private static List<(string Name, HeaderTemplate Template)> ParseHeaders(PluginSettings settings)
    {
        var result = new List<(string, HeaderTemplate)>();
        if (settings.Find("headers") is JsonObject headers)
        {
            foreach (var (name, node) in headers)
            {
                if (node is JsonValue value && value.TryGetValue<string>(out var text) && HeaderTemplate.TryParse(text, out _) is { } template)
                {
                    result.Add((name, template));
                }
            }
        }

        return result;
    }
}
