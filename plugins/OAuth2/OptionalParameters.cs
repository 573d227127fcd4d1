using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Literal token-request parameters copied from the settings when present.</summary>
internal static class OptionalParameters
{
    /// <summary>Used when the server omits <c>expires_in</c>: short, so a revoked token is not kept for long.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Adds each named setting; a list (e.g. several <c>resource</c> values) becomes repeated parameters, <c>scope</c> a space-joined one.</summary>
    public static void Add(PluginSettings settings, List<KeyValuePair<string, string>> form, params string[] names)
    {
        foreach (var name in names)
        {
            var values = settings.GetStringList(name).Where(v => v.Length > 0).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            if (name == "scope")
            {
                form.Add(new(name, string.Join(' ', values)));
            }
            else
            {
                form.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
            }
        }
    }
}
