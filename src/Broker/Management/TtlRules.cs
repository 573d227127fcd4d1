using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Token lifetimes: agent tokens never expire unless a ttl is given; scoped tokens default to 15 minutes and last at most 30 days.</summary>
internal static class TtlRules
{
    public static readonly TimeSpan ScopedDefault = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan ScopedMax = TimeSpan.FromDays(30);

    public static bool TryParse(string? text, TimeSpan? fallback, TimeSpan? max, out TimeSpan? ttl, out string error)
    {
        ttl = fallback;
        error = string.Empty;
        if (text is null)
        {
            return true;
        }

        if (!Durations.TryParse(text, out var value) || value <= TimeSpan.Zero)
        {
            error = "ttl must be a positive duration (e.g. 15m, 12h, 7d)";
            return false;
        }

        if (max is { } m && value > m)
        {
            error = $"ttl must be at most {Durations.Format(m)}";
            return false;
        }

        ttl = value;
        return true;
    }
}
