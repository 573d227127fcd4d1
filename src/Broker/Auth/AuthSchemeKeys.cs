using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary>Finds the credential keys a service's <c>auth</c> settings refer to, for built-in and plugin schemes alike.</summary>
internal static class AuthSchemeKeys
{
    /// <summary>Keys named by the settings (built-ins via <see cref="IAuthSchemeKeys"/>, plugins via <c>CredentialSettings</c>), without duplicates.</summary>
    public static IReadOnlyList<string> Collect(IAuthSchemeFactory factory, PluginSettings settings)
    {
        if (factory is IAuthSchemeKeys keys)
        {
            return keys.GetCredentialKeys(settings);
        }

        var result = new List<string>();
        foreach (var setting in factory.CredentialSettings)
        {
            foreach (var key in settings.GetStringList(setting))
            {
                if (!string.IsNullOrEmpty(key) && !result.Contains(key, StringComparer.Ordinal))
                {
                    result.Add(key);
                }
            }
        }

        return result;
    }
}
