using System.Globalization;

namespace AgentVault.Broker.Routing;

/// <summary>
/// The parsed <c>host</c> of a service: an exact DNS name or a one-level wildcard (<c>*.example.com</c>), an optional
/// port and an optional path glob (<c>slack.com/api/*</c>). Parsing only; matching lives with the route table.
/// </summary>
/// <param name="Host">Lower-case DNS name; for a wildcard the parent domain (<c>example.com</c> for <c>*.example.com</c>).</param>
/// <param name="IsWildcard">True for <c>*.parent</c>: matches exactly one extra label in front of <see cref="Host"/>, never the parent itself.</param>
/// <param name="Port">The port written after the name, or null when none was written (then only 443 matches, unless <paramref name="AnyPort"/>).</param>
/// <param name="PathGlob">The path glob as written, starting with <c>/</c> (<c>*</c> one segment, <c>**</c> any), or null for every path.</param>
/// <param name="AnyPort">True for <c>host:*</c>: every port matches.</param>
public sealed record HostPattern(string Host, bool IsWildcard, int? Port, string? PathGlob, bool AnyPort = false)
{
    /// <summary>The port a pattern without <c>:port</c> matches: HTTPS only, so a credential never follows a request to another port by default.</summary>
    public const int DefaultPort = 443;

    /// <summary>True when <paramref name="port"/> is the written port, 443 when none was written, or any port for <c>:*</c>.</summary>
    public bool MatchesPort(int port) => AnyPort || (Port ?? DefaultPort) == port;

    /// <summary>The literal part of <see cref="PathGlob"/> before its first <c>*</c> (<c>/api/</c> for <c>/api/*</c>), or null; longer prefixes are more specific.</summary>
    public string? PathPrefix => PathGlob is null ? null : PathGlob[..(PathGlob.IndexOf('*', StringComparison.Ordinal) is >= 0 and var star ? star : PathGlob.Length)];

    /// <summary>The canonical text (lower case), e.g. <c>*.example.com:8443/api/*</c>.</summary>
    public override string ToString() =>
        (IsWildcard ? "*." : string.Empty) + Host + (AnyPort ? ":*" : Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty) + PathGlob;

    /// <summary>Parses a service host; on failure <paramref name="error"/> says what is wrong in one sentence.</summary>
    public static bool TryParse(string? text, out HostPattern pattern, out string error)
    {
        pattern = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "host is empty";
            return false;
        }

        var s = text.Trim();
        if (s.Contains("://", StringComparison.Ordinal))
        {
            error = "write the host without a scheme (e.g. 'api.example.com', not 'https://api.example.com')";
            return false;
        }

        foreach (var c in s)
        {
            if (c > 0x7e || c <= 0x20)
            {
                error = "host contains a space, a control or a non-ASCII character (write international names in their 'xn--' form)";
                return false;
            }
        }

        string? path = null;
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            path = s[slash..];
            s = s[..slash];
            if (!TryCheckPath(path, out error))
            {
                return false;
            }
        }

        if (s.StartsWith('[') || s.Count(c => c == ':') > 1)
        {
            error = "IP literals are not allowed; use a DNS name";
            return false;
        }

        int? port = null;
        var anyPort = false;
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var portText = s[(colon + 1)..];
            s = s[..colon];
            anyPort = portText == "*";
            if (!anyPort)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    error = $"port '{portText}' is not a number from 1 to 65535 (or '*' for any port)";
                    return false;
                }

                port = p;
            }
        }

        s = s.ToLowerInvariant();
        var wildcard = s.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? s[2..] : s;
        if (s == "*" || name.Contains('*', StringComparison.Ordinal))
        {
            error = "'*' is only allowed as the whole left-most label of a name with at least two more labels (e.g. '*.example.com')";
            return false;
        }

        if (!TryCheckName(name, out error))
        {
            return false;
        }

        if (wildcard && !name.Contains('.', StringComparison.Ordinal))
        {
            error = $"'*.{name}' would match a whole top-level domain; a wildcard needs at least two labels after '*.' (e.g. '*.example.com')";
            return false;
        }

        pattern = new HostPattern(name, wildcard, port, path, anyPort);
        return true;
    }

    private static bool TryCheckName(string name, out string error)
    {
        error = string.Empty;
        if (name.Length == 0)
        {
            error = "host name is empty";
            return false;
        }

        if (name.Length > 253)
        {
            error = "host name is longer than 253 characters";
            return false;
        }

        var labels = name.Split('.');
        if (IsIpv4Like(labels[^1]))
        {
            error = "IP literals are not allowed; use a DNS name";
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                error = label.Length == 0 ? $"'{name}' has an empty label" : $"label '{label[..20]}…' is longer than 63 characters";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                error = $"'{label}' is not a valid DNS label (letters, digits and inner dashes only)";
                return false;
            }
        }

        return true;
    }

    // A name whose last label is all digits (or 0x-hex) is read as an IPv4 address by URL parsers (WHATWG URL §3.5),
    // so "10.0.0.1", "127.1" and "0x7f.1" are refused as IP literals.
    private static bool IsIpv4Like(string lastLabel) =>
        lastLabel.Length > 0 && (lastLabel.All(char.IsAsciiDigit) ||
            (lastLabel.StartsWith("0x", StringComparison.Ordinal) && lastLabel[2..].All(char.IsAsciiHexDigitLower)));

    private static bool TryCheckPath(string path, out string error)
    {
        error = string.Empty;
        if (path.IndexOfAny(['?', '#', '\\']) >= 0)
        {
            error = "the path of a host pattern cannot contain '?', '#' or '\\'";
            return false;
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            error = "the path of a host pattern has an empty segment ('//')";
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Contains('*', StringComparison.Ordinal) && segment is not ("*" or "**"))
            {
                error = $"path segment '{segment}': '*' and '**' must be whole segments";
                return false;
            }

            if (segment is "." or "..")
            {
                error = "the path of a host pattern cannot contain '.' or '..' segments";
                return false;
            }
        }

        return true;
    }
}
