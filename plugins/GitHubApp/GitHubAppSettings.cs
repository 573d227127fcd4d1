using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>The checked settings of one <c>github-app</c> service (see <see cref="GitHubAppSchemeFactory"/> for their rules).</summary>
internal sealed class GitHubAppSettings
{
    public const string DefaultApiUrl = "https://api.github.com";
    public const string BearerHeader = "bearer";
    public const string BasicHeader = "basic";

    private GitHubAppSettings(string? appId, string? appIdKey, string installationId, string privateKeyKey, Uri tokenUrl, JsonObject? body, bool basic)
    {
        UseBasic = basic;
        AppId = appId;
        AppIdKey = appIdKey;
        InstallationId = installationId;
        PrivateKeyKey = privateKeyKey;
        TokenUrl = tokenUrl;
        Body = body;
    }

    /// <summary>The literal app id or client id, or null when <see cref="AppIdKey"/> names a credential holding it.</summary>
    public string? AppId { get; }

    public string? AppIdKey { get; }

    public string InstallationId { get; }

    public string PrivateKeyKey { get; }

    /// <summary><c>{api_url}/app/installations/{installation_id}/access_tokens</c>.</summary>
    public Uri TokenUrl { get; }

    /// <summary>The narrowing request body (<c>repositories</c>, <c>permissions</c>), or null to ask for everything the installation has.</summary>
    public JsonObject? Body { get; }

    /// <summary>True for <c>auth_header: basic</c>: the token as the password of user <c>x-access-token</c>, which git over HTTPS needs.</summary>
    public bool UseBasic { get; }

    /// <summary>Reads settings the factory has validated.</summary>
    public static GitHubAppSettings From(PluginSettings settings)
    {
        var installationId = Literal(settings.Find("installation_id")) ?? throw new ArgumentException("installation_id is required");
        var apiUrl = (settings.GetString("api_url") ?? DefaultApiUrl).TrimEnd('/');
        var tokenUrl = new Uri($"{apiUrl}/app/installations/{installationId}/access_tokens");
        var privateKey = settings.GetString("private_key") ?? throw new ArgumentException("private_key is required");

        JsonObject? body = null;
        var repositories = settings.GetStringList("repositories");
        if (repositories.Count > 0)
        {
            body = new JsonObject { ["repositories"] = new JsonArray(repositories.Distinct(StringComparer.Ordinal).Select(r => (JsonNode)r).ToArray()) };
        }

        if (settings.Find("permissions") is JsonObject permissions && permissions.Count > 0)
        {
            body ??= [];
            body["permissions"] = new JsonObject(permissions.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Literal(p.Value))));
        }

        return new GitHubAppSettings(Literal(settings.Find("app_id")), settings.GetString("app_id_key"), installationId, privateKey, tokenUrl, body,
            settings.GetString("auth_header") == BasicHeader);
    }

    /// <summary>A JSON string or integer as text; anything else is null.</summary>
    public static string? Literal(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number &&
                         long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) =>
            n.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public static bool IsAcceptableApiUrl(string value) => EndpointUrl.IsAcceptable(value) && !value.Contains('?', StringComparison.Ordinal);
}
