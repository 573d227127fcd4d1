using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary><c>aws-sigv4</c>: re-signs the agent's request with the vault's AWS keys.</summary>
internal sealed class SigV4SchemeFactory : IAuthSchemeFactory
{
    private static readonly string[] Known = ["access_key_id", "secret_access_key", "session_token", "region", "service"];

    public string Name => "aws-sigv4";

    public IReadOnlyCollection<string> CredentialSettings { get; } = ["access_key_id", "secret_access_key", "session_token"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        foreach (var (name, _) in settings.Root)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                validation.Add(name, $"is not a setting of this auth scheme (known: {string.Join(", ", Known)})");
            }
        }

        Key(settings, validation, "access_key_id", required: true);
        Key(settings, validation, "secret_access_key", required: true);
        Key(settings, validation, "session_token", required: false);
        foreach (var name in (string[])["region", "service"])
        {
            if (settings.GetString(name) is { } value && (value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                validation.Add(name, "must be a lower-case AWS name such as us-east-1 or s3");
            }
        }
    }

    public IAuthScheme Create(AuthSchemeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SigV4Scheme(context);
    }

    private static void Key(PluginSettings settings, SettingsValidation validation, string name, bool required)
    {
        var value = settings.GetString(name);
        if (value is null)
        {
            if (required)
            {
                validation.Add(name, "is required (the name of a credential key of the vault)");
            }
        }
        else if (value.Length is 0 or > 128 || value[0] is < 'A' or > 'Z' || !value.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_'))
        {
            validation.Add(name, "must name a credential key of the vault in UPPER_SNAKE_CASE, not hold a value");
        }
    }
}
