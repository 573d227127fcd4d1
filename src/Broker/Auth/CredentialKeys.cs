using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary>Credential key names of a vault: UPPER_SNAKE_CASE (<c>GITHUB_TOKEN</c>).</summary>
internal static class CredentialKeys
{
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 128 || key[0] is < 'A' or > 'Z')
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reports a problem unless <paramref name="key"/> (the value of setting <paramref name="path"/>) is a valid key; the key name is not secret.</summary>
    public static void Check(string? key, string path, SettingsValidation validation, bool required)
    {
        if (key is null)
        {
            if (required)
            {
                validation.Add(path, "is required (the name of a credential key of the vault)");
            }

            return;
        }

        if (!IsValid(key))
        {
            validation.Add(path, "must name a credential key of the vault in UPPER_SNAKE_CASE (e.g. GITHUB_TOKEN)");
        }
    }
}
