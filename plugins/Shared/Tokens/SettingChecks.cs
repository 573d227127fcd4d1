using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.Tokens;

/// <summary>Checks shared by the minting schemes: unknown settings and credential-key names.</summary>
public static class SettingChecks
{
    public static void Known(PluginSettings settings, SettingsValidation validation, IReadOnlyCollection<string> known)
    {
        foreach (var (name, _) in settings.Root)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                validation.Add(name, $"is not a setting of this auth scheme (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Reports a problem unless the setting names a credential key (UPPER_SNAKE_CASE); the value itself is never echoed.</summary>
    public static void Key(PluginSettings settings, SettingsValidation validation, string name, bool required)
    {
        var value = settings.GetString(name);
        if (value is null)
        {
            if (required)
            {
                validation.Add(name, "is required (the name of a credential key of the vault)");
            }

            return;
        }

        if (!IsKey(value))
        {
            validation.Add(name, "must name a credential key of the vault in UPPER_SNAKE_CASE, not hold a value");
        }
    }

    public static bool IsKey(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 128 || value[0] is < 'A' or > 'Z')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static void OneOf(PluginSettings settings, SettingsValidation validation, string name, params string[] allowed)
    {
        if (settings.GetString(name) is { } value && !allowed.Contains(value, StringComparer.Ordinal))
        {
            validation.Add(name, $"must be one of: {string.Join(", ", allowed)}");
        }
    }
}
