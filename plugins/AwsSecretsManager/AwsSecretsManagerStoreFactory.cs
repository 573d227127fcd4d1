using System.Text.RegularExpressions;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Describes and creates <c>aws-secrets-manager</c> stores.</summary>
internal sealed partial class AwsSecretsManagerStoreFactory : ISecretStoreFactory
{
    private readonly Func<string, string?> _environment;

    /// <param name="environment">Reads an environment variable (the process environment outside tests).</param>
    public AwsSecretsManagerStoreFactory(Func<string, string?> environment) => _environment = environment;

    public string Type => "aws-secrets-manager";

    public IReadOnlyCollection<string> SecretSettings => AwsSettingNames.Secrets;

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var (name, _) in settings.Root)
        {
            if (!AwsSettingNames.All.Contains(name, StringComparer.Ordinal))
            {
                validation.Add(name, $"unknown setting; expected one of: {string.Join(", ", AwsSettingNames.All)}");
            }
        }

        if (settings.GetString(AwsSettingNames.Region) is { } region && !RegionPattern().IsMatch(region))
        {
            validation.Add(AwsSettingNames.Region, "must be an AWS region name such as us-east-1");
        }

        ValidateUrl(settings, AwsSettingNames.Endpoint, validation);
        ValidateUrl(settings, AwsSettingNames.StsEndpoint, validation);

        var hasKeyId = settings.Find(AwsSettingNames.AccessKeyId) is not null;
        var hasSecret = settings.Find(AwsSettingNames.SecretAccessKey) is not null;
        if (hasKeyId != hasSecret)
        {
            validation.Add(
                hasKeyId ? AwsSettingNames.SecretAccessKey : AwsSettingNames.AccessKeyId,
                "access_key_id and secret_access_key must be set together");
        }

        if (settings.Find(AwsSettingNames.SessionToken) is not null && !hasKeyId)
        {
            validation.Add(AwsSettingNames.SessionToken, "session_token needs access_key_id and secret_access_key");
        }
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var credentials = new AwsCredentialResolver(context, _environment);
        return new AwsSecretsManagerStore(context, credentials, _environment);
    }

    internal static Uri? ParseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    private static void ValidateUrl(PluginSettings settings, string name, SettingsValidation validation)
    {
        if (settings.Find(name) is not null && ParseUrl(settings.GetString(name)) is null)
        {
            validation.Add(name, "must be an absolute http:// or https:// URL");
        }
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+$")]
    private static partial Regex RegionPattern();
}
