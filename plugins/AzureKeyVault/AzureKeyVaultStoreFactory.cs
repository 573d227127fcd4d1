using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>Describes and creates <c>azure-key-vault</c> stores.</summary>
internal sealed class AzureKeyVaultStoreFactory : ISecretStoreFactory
{
    public string Type => "azure-key-vault";

    public IReadOnlyCollection<string> SecretSettings { get; } = [AzureSettingNames.ClientSecret];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var (name, _) in settings.Root)
        {
            if (!AzureSettingNames.TopLevel.Contains(name, StringComparer.Ordinal))
            {
                validation.Add(name, $"unknown setting; expected one of: {string.Join(", ", AzureSettingNames.TopLevel)}");
            }
        }

        if (ParseHttpsUrl(settings.GetString(AzureSettingNames.VaultUrl)) is null)
        {
            validation.Add(AzureSettingNames.VaultUrl, "required: the vault's https:// URL, e.g. https://my-vault.vault.azure.net");
        }

        if (settings.Find(AzureSettingNames.AuthorityHost) is not null && ParseHttpsUrl(settings.GetString(AzureSettingNames.AuthorityHost)) is null)
        {
            validation.Add(AzureSettingNames.AuthorityHost, "must be an https:// URL, e.g. https://login.microsoftonline.com");
        }

        ValidateFlag(settings, AzureSettingNames.DisableChallengeResourceVerification, validation);
        ValidateFlag(settings, AzureSettingNames.DisableInstanceDiscovery, validation);
        ValidateAuth(settings, validation);
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AzureKeyVaultStore(context);
    }

    internal static Uri? ParseHttpsUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;

    internal static bool Flag(PluginSettings settings, string name) => settings.Find(name) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.TryGetValue<string>(out var s) => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static void ValidateAuth(PluginSettings settings, SettingsValidation validation)
    {
        var auth = settings.GetSection(AzureSettingNames.Auth);
        if (auth is null)
        {
            validation.Add(AzureSettingNames.Auth, $"required: an object with method ({string.Join(" | ", AzureSettingNames.Methods)})");
            return;
        }

        foreach (var (name, _) in auth.Root)
        {
            if (!AzureSettingNames.AuthKeys.Contains(name, StringComparer.Ordinal))
            {
                validation.Add("auth." + name, $"unknown setting; expected one of: {string.Join(", ", AzureSettingNames.AuthKeys)}");
            }
        }

        var method = settings.GetString(AzureSettingNames.Method);
        switch (method)
        {
            case AzureSettingNames.ClientSecretMethod:
                Require(settings, AzureSettingNames.TenantId, method, validation);
                Require(settings, AzureSettingNames.ClientId, method, validation);
                Require(settings, AzureSettingNames.ClientSecret, method, validation);
                break;
            case AzureSettingNames.ManagedIdentityMethod:
            case AzureSettingNames.WorkloadIdentityMethod:
                if (settings.Find(AzureSettingNames.ClientSecret) is not null)
                {
                    validation.Add(AzureSettingNames.ClientSecret, $"not used by method {method}");
                }

                break;
            default:
                validation.Add(AzureSettingNames.Method, $"must be one of: {string.Join(", ", AzureSettingNames.Methods)}");
                break;
        }
    }

    private static void Require(PluginSettings settings, string path, string method, SettingsValidation validation)
    {
        if (string.IsNullOrWhiteSpace(settings.GetString(path)))
        {
            validation.Add(path, $"required by method {method}");
        }
    }

    private static void ValidateFlag(PluginSettings settings, string name, SettingsValidation validation)
    {
        if (settings.Find(name) is { } node && !(node is JsonValue v && (v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            || (v.TryGetValue<string>(out var s) && (s is "true" or "false")))))
        {
            validation.Add(name, "must be true or false");
        }
    }
}
