using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>
/// <c>github-app</c>: the app's private key signs an app JWT that GitHub exchanges for an installation access token.
/// The app id is not a secret, so <c>app_id</c> is a literal (numeric app id or client id); <c>app_id_key</c> names a
/// credential key instead for those who keep it in the store. <c>installation_id</c> is a literal, <c>private_key</c> a key.
/// </summary>
internal sealed class GitHubAppSchemeFactory : IAuthSchemeFactory
{
    private const int MaxRepositories = 500;
    private static readonly string[] Known = ["app_id", "app_id_key", "installation_id", "private_key", "api_url", "repositories", "permissions", "auth_header"];
    private static readonly string[] Levels = ["read", "write", "admin"];

    public string Name => "github-app";

    // app_id is a literal and so not listed; app_id_key is checked by the broker when present.
    public IReadOnlyCollection<string> CredentialSettings { get; } = ["private_key", "app_id_key"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        SettingChecks.Known(settings, validation, Known);
        CheckAppId(settings, validation);
        CheckInstallationId(settings, validation);
        SettingChecks.Key(settings, validation, "private_key", required: true);
        if (settings.GetString("api_url") is { } apiUrl && !GitHubAppSettings.IsAcceptableApiUrl(apiUrl))
        {
            validation.Add("api_url", "must be an absolute https URL without query (http only to a loopback address), e.g. https://github.example.com/api/v3");
        }

        CheckRepositories(settings, validation);
        CheckPermissions(settings, validation);
        SettingChecks.OneOf(settings, validation, "auth_header", GitHubAppSettings.BearerHeader, GitHubAppSettings.BasicHeader);
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GitHubAppScheme(context, GitHubAppSettings.From(context.Settings));
    }

    private static void CheckAppId(PluginSettings settings, SettingsValidation validation)
    {
        var literal = settings.Find("app_id");
        var hasKey = settings.Find("app_id_key") is not null;
        if (literal is not null && hasKey)
        {
            validation.Add("app_id", "set either app_id (the app id or client id) or app_id_key (a credential key holding it), not both");
            return;
        }

        if (hasKey)
        {
            SettingChecks.Key(settings, validation, "app_id_key", required: true);
            return;
        }

        var value = GitHubAppSettings.Literal(literal);
        if (literal is null)
        {
            validation.Add("app_id", "is required: the GitHub App's numeric app id or its client id (or use app_id_key)");
        }
        else if (SettingChecks.IsKey(value))
        {
            validation.Add("app_id", "holds a credential key name; the app id is a literal here, use app_id_key to read it from the vault");
        }
        else if (value is null || value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            validation.Add("app_id", "must be the app's numeric id (e.g. 123456) or its client id (e.g. Iv23liAbCdEf)");
        }
    }

    private static void CheckInstallationId(PluginSettings settings, SettingsValidation validation)
    {
        var value = GitHubAppSettings.Literal(settings.Find("installation_id"));
        if (settings.Find("installation_id") is null)
        {
            validation.Add("installation_id", "is required: the numeric id of the app's installation on an account");
        }
        else if (value is null || value.Length is 0 or > 20 || !value.All(char.IsAsciiDigit) || value.All(c => c == '0'))
        {
            validation.Add("installation_id", "must be a positive number (the id in https://github.com/settings/installations/<id>)");
        }
    }

    private static void CheckRepositories(PluginSettings settings, SettingsValidation validation)
    {
        var node = settings.Find("repositories");
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray array || array.Any(n => n is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            validation.Add("repositories", "must be a list of repository names");
            return;
        }

        if (array.Count > MaxRepositories)
        {
            validation.Add("repositories", $"GitHub accepts at most {MaxRepositories} repositories");
        }

        foreach (var name in array.Select(n => GitHubAppSettings.Literal(n)!))
        {
            if (name.Contains('/', StringComparison.Ordinal))
            {
                validation.Add("repositories", $"'{name}': give the repository name without the owner (the installation's account), e.g. 'hello-world'");
            }
            else if (name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                validation.Add("repositories", $"'{name}' is not a repository name (letters, digits, '.', '_' and '-')");
            }
        }
    }

    private static void CheckPermissions(PluginSettings settings, SettingsValidation validation)
    {
        var node = settings.Find("permissions");
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject permissions)
        {
            validation.Add("permissions", "must be a map of permission name to read, write or admin (e.g. { contents: read, issues: write })");
            return;
        }

        foreach (var (name, value) in permissions)
        {
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterLower(c) || c is '_'))
            {
                validation.Add("permissions", $"'{name}' is not a GitHub App permission name (lower_snake_case, e.g. contents, pull_requests)");
            }
            else if (value is not JsonValue || !Levels.Contains(GitHubAppSettings.Literal(value), StringComparer.Ordinal))
            {
                validation.Add($"permissions.{name}", "must be read, write or admin");
            }
        }
    }
}
