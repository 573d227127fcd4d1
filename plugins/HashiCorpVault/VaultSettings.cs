using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>The parsed settings of one <c>hashicorp-vault</c> store; secret-bearing ones are kept as references.</summary>
internal sealed record VaultSettings
{
    public const string DefaultJwtPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private static readonly HashSet<string> KnownTopLevel = new(StringComparer.Ordinal) { "address", "namespace", "auth" };
    private static readonly HashSet<string> KnownAuth = new(StringComparer.Ordinal) { "method", "token", "role_id", "secret_id", "role", "jwt_path", "mount" };

    public required Uri Address { get; init; }

    public string? Namespace { get; init; }

    public required VaultAuthMethod Method { get; init; }

    /// <summary>Reference to the token (method <c>token</c>).</summary>
    public string? TokenReference { get; init; }

    /// <summary>Reference to the AppRole role id.</summary>
    public string? RoleIdReference { get; init; }

    /// <summary>Reference to the AppRole secret id.</summary>
    public string? SecretIdReference { get; init; }

    /// <summary>Kubernetes auth role.</summary>
    public string? Role { get; init; }

    public string JwtPath { get; init; } = DefaultJwtPath;

    /// <summary>Mount path of the auth method (<c>approle</c>, <c>kubernetes</c>).</summary>
    public string Mount { get; init; } = "approle";

    /// <summary>Parses <paramref name="settings"/>, reporting every problem; returns null when any was found.</summary>
    public static VaultSettings? Parse(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var (key, _) in settings.Root)
        {
            if (!KnownTopLevel.Contains(key))
            {
                validation.Add(key, $"unknown setting '{key}' (known: address, namespace, auth)");
            }
        }

        var address = ParseAddress(settings.GetString("address"), validation);
        var ns = settings.GetString("namespace");
        var auth = settings.GetSection("auth");
        if (auth is null)
        {
            validation.Add("auth", "required: an object with 'method' (token, approle or kubernetes)");
            return null;
        }

        foreach (var (key, _) in auth.Root)
        {
            if (!KnownAuth.Contains(key))
            {
                validation.Add($"auth.{key}", $"unknown setting 'auth.{key}'");
            }
        }

        var methodText = auth.GetString("method");
        VaultAuthMethod? method = methodText switch
        {
            "token" => VaultAuthMethod.Token,
            "approle" => VaultAuthMethod.AppRole,
            "kubernetes" => VaultAuthMethod.Kubernetes,
            _ => null,
        };
        if (method is null)
        {
            validation.Add("auth.method", methodText is null ? "required: token, approle or kubernetes" : $"'{methodText}' is not one of token, approle, kubernetes");
        }

        var result = method switch
        {
            VaultAuthMethod.Token => ParseToken(auth, validation),
            VaultAuthMethod.AppRole => ParseAppRole(auth, validation),
            VaultAuthMethod.Kubernetes => ParseKubernetes(auth, validation),
            _ => null,
        };

        if (result is null || address is null || !validation.IsValid)
        {
            return null;
        }

        return result with { Address = address, Namespace = string.IsNullOrWhiteSpace(ns) ? null : ns.Trim() };
    }

    private static VaultSettings? ParseToken(PluginSettings auth, SettingsValidation validation)
    {
        var token = Required(auth, "token", validation);
        return token is null ? null : Placeholder(VaultAuthMethod.Token) with { TokenReference = token };
    }

    private static VaultSettings? ParseAppRole(PluginSettings auth, SettingsValidation validation)
    {
        var roleId = Required(auth, "role_id", validation);
        var secretId = Required(auth, "secret_id", validation);
        var mount = ParseMount(auth, "approle", validation);
        return roleId is null || secretId is null || mount is null
            ? null
            : Placeholder(VaultAuthMethod.AppRole) with { RoleIdReference = roleId, SecretIdReference = secretId, Mount = mount };
    }

    private static VaultSettings? ParseKubernetes(PluginSettings auth, SettingsValidation validation)
    {
        var role = Required(auth, "role", validation);
        var mount = ParseMount(auth, "kubernetes", validation);
        var jwtPath = auth.GetString("jwt_path");
        if (jwtPath is not null && !Path.IsPathRooted(jwtPath))
        {
            validation.Add("auth.jwt_path", "must be an absolute file path");
            return null;
        }

        return role is null || mount is null
            ? null
            : Placeholder(VaultAuthMethod.Kubernetes) with { Role = role, Mount = mount, JwtPath = jwtPath ?? DefaultJwtPath };
    }

    private static VaultSettings Placeholder(VaultAuthMethod method) =>
        new() { Address = new Uri("http://placeholder/"), Method = method };

    private static string? Required(PluginSettings auth, string name, SettingsValidation validation)
    {
        var value = auth.GetString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            validation.Add($"auth.{name}", "required for this auth method");
            return null;
        }

        return value;
    }

    private static string? ParseMount(PluginSettings auth, string defaultMount, SettingsValidation validation)
    {
        var mount = auth.GetString("mount")?.Trim('/');
        if (mount is null)
        {
            return defaultMount;
        }

        if (mount.Length == 0 || mount.Split('/').Any(s => s.Length == 0 || s is "." or ".."))
        {
            validation.Add("auth.mount", "must be a mount path such as 'approle' or 'teams/approle'");
            return null;
        }

        return mount;
    }

    private static Uri? ParseAddress(string? text, SettingsValidation validation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            validation.Add("address", "required: the Vault server URL, e.g. https://vault.internal:8200");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            validation.Add("address", "must be an absolute http:// or https:// URL");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            validation.Add("address", "must not contain user information, a query or a fragment");
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}
