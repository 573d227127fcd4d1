using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary>Reports settings a built-in scheme does not know (a typo would otherwise be silently ignored).</summary>
internal static class KnownSettings
{
    public static void Check(PluginSettings settings, SettingsValidation validation, params string[] known)
    {
        foreach (var (name, _) in settings.Root)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                validation.Add(name, $"is not a setting of this auth scheme (known: {string.Join(", ", known)})");
            }
        }
    }
}
