using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.Tokens;

/// <summary>Checks a URL setting: absolute https, or http to a loopback address (local development and tests).</summary>
public static class EndpointUrl
{
    public static void Check(PluginSettings settings, SettingsValidation validation, string name, bool required)
    {
        var value = settings.GetString(name);
        if (value is null)
        {
            if (required)
            {
                validation.Add(name, "is required (an https URL)");
            }

            return;
        }

        if (!IsAcceptable(value))
        {
            validation.Add(name, "must be an absolute https URL (http only to a loopback address)");
        }
    }

    public static bool IsAcceptable(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)) &&
        string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment);
}
