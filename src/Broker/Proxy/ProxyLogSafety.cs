using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Keeps YARP's logging at Warning or above whatever the logging configuration says: YARP logs the destination URI at
/// Information, and after a path or query substitution that URI holds a secret. Runs as a post-configuration of
/// <see cref="LoggerFilterOptions"/>, so it also holds after a configuration reload, for provider-specific rules
/// (<c>Logging:Console:LogLevel:*</c>, which outrank provider-less ones) and for more specific categories.
/// </summary>
internal static class ProxyLogSafety
{
    private const string Category = "Yarp";

    // Categories known to log URIs; a wildcard rule that matches one of them is clamped as well.
    private static readonly string[] KnownCategories = ["Yarp.ReverseProxy.Forwarder.HttpForwarder", "Yarp.ReverseProxy.Forwarder.StreamCopyHttpContent"];

    public static void Clamp(LoggerFilterOptions options)
    {
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            if (rule.CategoryName is { } name && Applies(name) && (rule.LogLevel is null || rule.LogLevel < LogLevel.Warning))
            {
                options.Rules[i] = new LoggerFilterRule(rule.ProviderName, name, LogLevel.Warning, rule.Filter);
            }
        }

        // One guard per provider name in use (and one for all providers): a rule for a provider beats every provider-less rule.
        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct(StringComparer.Ordinal).ToList())
        {
            options.Rules.Add(new LoggerFilterRule(provider, Category, LogLevel.Warning, filter: null));
        }
    }

    private static bool Applies(string name)
    {
        if (name.StartsWith(Category, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var star = name.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return false;
        }

        var prefix = name[..star];
        var suffix = name[(star + 1)..];
        return KnownCategories.Any(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && c.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
            c.Length >= prefix.Length + suffix.Length);
    }
}
