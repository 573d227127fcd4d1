using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// Ties the configuration page's Apply to the plan the person saw: the plan's configuration version (sent as <c>If-Match</c>, so
/// a change made by anyone since the plan refuses the apply) and a fingerprint of the planned document and prune setting (so an
/// edited document is planned again before it is applied).
/// </summary>
internal static partial class ConfigPlanStamp
{
    public static string Fingerprint(string? document, bool prune)
    {
        var text = (prune ? "prune\n" : "merge\n") + (document ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Only a strong entity tag the API hands out (<c>"42"</c>) goes into a header.</summary>
    public static bool IsVersion(string? tag) => tag is not null && VersionTag().IsMatch(tag);

    [GeneratedRegex("^\"[0-9]{1,19}\"$")]
    private static partial Regex VersionTag();
}
