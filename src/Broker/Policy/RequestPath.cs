namespace AgentVault.Broker.Policy;

/// <summary>
/// The path of a proxied request, taken once from the request target exactly as the agent sent it: forwarded upstream
/// unchanged, and read for matching (service path globs and rules) as segments:
/// <list type="bullet">
/// <item><see cref="Segments"/>: split on '/', empty segments dropped, each segment percent-decoded once, so an encoded
/// <c>/</c> (<c>%2F</c>) stays inside its segment.</item>
/// <item><see cref="Loose"/>: the same segments as a lenient server may also read them, split again on '\' with
/// <c>;params</c> cut off; rules deny when either reading matches a deny and allow only when both match an allow.</item>
/// <item><see cref="Spread"/>: also split at every decoded '/', as an upstream that decodes <c>%2F</c> before routing reads
/// the path; used for deny rules only (so <c>deny: ["* /admin/**"]</c> also catches <c>/admin%2Fusers</c>), while an
/// allow list keeps reading <c>group%2Fproject</c> as one segment.</item>
/// </list>
/// A segment that is, or decodes to, <c>.</c> or <c>..</c>, or holds such a part between '/' or '\' (<c>%2e%2e</c>,
/// <c>..%2F</c>, <c>..%5C</c>, also <c>..;x</c>), is refused rather than resolved: the broker would read one path and
/// the upstream another, and the request could leave the path a service or rule is scoped to.
/// </summary>
internal sealed class RequestPath
{
    private static readonly char[] Separators = ['/', '\\'];

    private RequestPath(string escaped, string query, string[] segments, string[] loose, string[] spread)
    {
        Escaped = escaped;
        Query = query;
        Segments = segments;
        Loose = loose;
        Spread = spread;
    }

    /// <summary>The path as sent (percent-encoded, starting with '/').</summary>
    public string Escaped { get; }

    /// <summary>The query as sent, with its '?', or empty.</summary>
    public string Query { get; }

    /// <summary>What goes upstream after the destination's scheme and authority.</summary>
    public string PathAndQuery => Escaped + Query;

    public IReadOnlyList<string> Segments { get; }

    public IReadOnlyList<string> Loose { get; }

    /// <summary>The segments split at every decoded '/' and '\' too, <c>;params</c> cut off: the reading deny rules also see.</summary>
    public IReadOnlyList<string> Spread { get; }

    /// <summary>True when the lenient reading differs (otherwise <see cref="Loose"/> is <see cref="Segments"/>).</summary>
    public bool HasLooseReading => !ReferenceEquals(Segments, Loose);

    /// <summary>True when the spread reading differs from the lenient one (otherwise <see cref="Spread"/> is <see cref="Loose"/>).</summary>
    public bool HasSpreadReading => !ReferenceEquals(Loose, Spread);

    /// <summary>
    /// Reads an origin-form (<c>/p?q</c>) or absolute-form (<c>http://h/p?q</c>) request target; other forms (<c>*</c>)
    /// read as <c>/</c>. False, with a one-sentence reason, for a path the proxy refuses.
    /// </summary>
    public static bool TryParse(string? target, out RequestPath path, out string problem)
    {
        path = null!;
        problem = string.Empty;
        var (escaped, query) = Split(target ?? string.Empty);
        if (!IsVisibleAscii(escaped) || !IsVisibleAscii(query))
        {
            // Not a valid request target (RFC 9112 §3.2); never let it reach an upstream request line.
            problem = "The request target contains a space, a control, a non-ASCII character or '#'.";
            return false;
        }

        var segments = new List<string>();
        var loose = new List<string>();
        var spread = new List<string>();
        var differs = false;
        var spreads = false;
        foreach (var raw in escaped.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = PercentDecoding.Decode(raw);
            foreach (var part in segment.Split(Separators))
            {
                if (WithoutParameters(part) is "." or "..")
                {
                    problem = "The request path has a '.' or '..' segment (also percent-encoded, or next to an encoded '/' or '\\'); the proxy does not forward it.";
                    return false;
                }

                if (WithoutParameters(part) is { Length: > 0 } piece)
                {
                    spread.Add(piece);
                }
            }

            foreach (var part in segment.Split('\\'))
            {
                if (WithoutParameters(part) is { Length: > 0 } name)
                {
                    loose.Add(name);
                }
            }

            segments.Add(segment);
            differs |= loose.Count != segments.Count || !string.Equals(loose[^1], segment, StringComparison.Ordinal);
            // Both readings may still be empty (a first segment of only parameters or backslashes, "/;x"): equal, nothing to compare.
            spreads |= spread.Count != loose.Count || (spread.Count > 0 && !string.Equals(spread[^1], loose[^1], StringComparison.Ordinal));
        }

        var strict = segments.ToArray();
        var lenient = differs ? [.. loose] : strict;
        path = new RequestPath(escaped, query, strict, lenient, spreads ? [.. spread] : lenient);
        return true;
    }

    private static string WithoutParameters(string part) => part.IndexOf(';', StringComparison.Ordinal) is >= 0 and var at ? part[..at] : part;

    private static bool IsVisibleAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is <= ' ' or >= '\u007f' or '#')
            {
                return false;
            }
        }

        return true;
    }

    // Absolute-form: the path starts after the authority (RFC 3986 §3.2: it ends at the first '/', '?' or '#').
    private static (string Path, string Query) Split(string target)
    {
        if (!target.StartsWith('/'))
        {
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
            {
                return ("/", string.Empty);
            }

            var end = target.IndexOfAny(['/', '?', '#'], scheme + 3);
            target = end < 0 ? "/" : target[end] == '/' ? target[end..] : "/" + target[end..];
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, string.Empty) : (target[..question], target[question..]);
    }
}
