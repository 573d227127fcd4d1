using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace AgentVault.Broker.Management;

/// <summary>
/// The <c>If-Match</c> precondition of a configuration write (RFC 9110 §13.1.1): the write goes ahead only while the
/// configuration version is one of the listed entity tags. Comparison is strong, so a weak tag (<c>W/"42"</c>) never matches.
/// </summary>
internal sealed class IfMatch
{
    private readonly HashSet<long> _versions;

    private IfMatch(HashSet<long> versions) => _versions = versions;

    public bool Matches(long version) => _versions.Contains(version);

    /// <summary>
    /// Reads the header. <paramref name="precondition"/> is null when there is none or it is <c>*</c> (the configuration
    /// always exists). False when the header is not a list of quoted entity tags.
    /// </summary>
    public static bool TryRead(HttpRequest request, out IfMatch? precondition)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryParse(request.Headers.IfMatch, out precondition);
    }

    public static bool TryParse(StringValues values, out IfMatch? precondition)
    {
        precondition = null;
        if (StringValues.IsNullOrEmpty(values))
        {
            return true;
        }

        var versions = new HashSet<long>();
        var any = false;
        var tags = 0;
        foreach (var value in values)
        {
            var text = (value ?? string.Empty).AsSpan();
            while (true)
            {
                text = text.TrimStart(" \t,");
                if (text.IsEmpty)
                {
                    break;
                }

                if (text[0] == '*')
                {
                    any = true;
                    text = text[1..];
                    tags++;
                    continue;
                }

                var weak = text.StartsWith("W/", StringComparison.Ordinal);
                if (weak)
                {
                    text = text[2..];
                }

                var close = text.Length > 1 && text[0] == '"' ? text[1..].IndexOf('"') : -1;
                if (close < 0)
                {
                    return false;
                }

                var opaque = text.Slice(1, close);
                if (!weak && long.TryParse(opaque, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    versions.Add(version);
                }

                text = text[(close + 2)..];
                tags++;
            }
        }

        if (tags == 0)
        {
            return false;
        }

        precondition = any ? null : new IfMatch(versions);
        return true;
    }
}
