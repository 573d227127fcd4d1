using System.Globalization;

namespace AgentVault.Broker.Management;

/// <summary>
/// The <c>ETag</c> of the configuration: its version as a strong entity tag (RFC 9110 §8.8.3), e.g. <c>"42"</c>. Every
/// configuration resource shares it, so a write with <c>If-Match</c> is refused when anything in the configuration changed.
/// </summary>
internal static class ConfigETag
{
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Sets the <c>ETag</c> of a read answer to the version of the snapshot its body was taken from.</summary>
    public static void Set(HttpResponse response, long version)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ETag = Format(version);
    }
}
