using System.Globalization;

namespace AgentVault.Broker.Management;

/// <summary>Rate limits are written <c>N/s</c>, <c>N/min</c> or <c>N/h</c> with N ≥ 1.</summary>
internal static class RateLimitSyntax
{
    public const string Hint = "rate limit must be N/s, N/min or N/h with N at least 1 (e.g. 120/min)";

    public static bool IsValid(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 &&
            parts[1] is "s" or "min" or "h";
    }
}
