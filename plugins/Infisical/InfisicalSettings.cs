using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.Infisical;

/// <summary>The parsed settings of one <c>infisical</c> store; the machine identity's id and secret stay references.</summary>
internal sealed record InfisicalSettings
{
    public const string DefaultSiteUrl = "https://app.infisical.com";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "site_url", "client_id", "client_secret", "project_id", "project_slug", "environment",
    };

    public required Uri SiteUrl { get; init; }

    public required string ClientIdReference { get; init; }

    public required string ClientSecretReference { get; init; }

    /// <summary>The project id (<c>workspaceId</c>) for static secrets.</summary>
    public required string ProjectId { get; init; }

    /// <summary>The project slug, needed only for dynamic secrets (their API takes slugs).</summary>
    public string? ProjectSlug { get; init; }

    /// <summary>The environment slug, e.g. <c>prod</c>.</summary>
    public required string Environment { get; init; }

    public static InfisicalSettings? Parse(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var (key, _) in settings.Root)
        {
            if (!Known.Contains(key))
            {
                validation.Add(key, $"unknown setting '{key}' (known: {string.Join(", ", Known.Order(StringComparer.Ordinal))})");
            }
        }

        var site = ParseSiteUrl(settings.GetString("site_url"), validation);
        var clientId = Required(settings, "client_id", "the machine identity's client id, as a reference (env:, file: or store:path)", validation);
        var clientSecret = Required(settings, "client_secret", "the machine identity's client secret, as a reference", validation);
        var projectId = Required(settings, "project_id", "the project id", validation);
        var environment = Required(settings, "environment", "the environment slug, e.g. prod", validation);
        var slug = settings.GetString("project_slug");
        if (site is null || clientId is null || clientSecret is null || projectId is null || environment is null || !validation.IsValid)
        {
            return null;
        }

        return new InfisicalSettings
        {
            SiteUrl = site,
            ClientIdReference = clientId,
            ClientSecretReference = clientSecret,
            ProjectId = projectId,
            ProjectSlug = string.IsNullOrWhiteSpace(slug) ? null : slug.Trim(),
            Environment = environment,
        };
    }

    private static string? Required(PluginSettings settings, string name, string what, SettingsValidation validation)
    {
        var value = settings.GetString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            validation.Add(name, $"required: {what}");
            return null;
        }

        return value.Trim();
    }

    private static Uri? ParseSiteUrl(string? text, SettingsValidation validation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Uri(DefaultSiteUrl + "/");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            validation.Add("site_url", "must be an absolute http:// or https:// URL without user information, query or fragment");
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}
