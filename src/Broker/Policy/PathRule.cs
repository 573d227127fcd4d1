namespace AgentVault.Broker.Policy;

/// <summary>
/// One <c>"METHOD /path/glob"</c> entry: METHOD or <c>*</c>; in the path <c>**</c> matches any number of segments
/// (also none), a segment <c>*</c> exactly one, and <c>*</c> inside a segment any characters within it (<c>*.json</c>).
/// Methods and paths compare case-insensitively, so case tricks against case-insensitive upstreams do not dodge a deny.
/// </summary>
internal sealed class PathRule
{
    private readonly string? _method;
    private readonly string[] _segments;

    private PathRule(string? method, string[] segments)
    {
        _method = method;
        _segments = segments;
    }

    /// <summary>Parses an entry; null when it is not <c>METHOD /path</c>.</summary>
    public static PathRule? TryParse(string? text)
    {
        var parts = text?.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 } || parts[0].Length == 0 || !parts[1].StartsWith('/'))
        {
            return null;
        }

        var method = parts[0] == "*" ? null : parts[0].ToUpperInvariant();
        var segments = parts[1].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new PathRule(method, segments);
    }

    public bool Matches(string method, string[] path) =>
        (_method is null || string.Equals(_method, method, StringComparison.OrdinalIgnoreCase)) && Match(0, path, 0);

    public override string ToString() => (_method ?? "*") + " /" + string.Join('/', _segments);

    private bool Match(int p, string[] path, int s)
    {
        while (p < _segments.Length)
        {
            if (_segments[p] == "**")
            {
                // Collapse consecutive ** and try every split point.
                while (p < _segments.Length && _segments[p] == "**")
                {
                    p++;
                }

                if (p == _segments.Length)
                {
                    return true;
                }

                for (var k = s; k < path.Length; k++)
                {
                    if (Match(p, path, k))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (s >= path.Length || !SegmentMatches(_segments[p], path[s]))
            {
                return false;
            }

            p++;
            s++;
        }

        return s == path.Length;
    }

    /// <summary>Glob within one segment: '*' matches any run of characters (not '/', which the segment cannot hold in this reading).</summary>
    private static bool SegmentMatches(string pattern, string segment)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, segment, StringComparison.OrdinalIgnoreCase);
        }

        var parts = pattern.Split('*');
        var position = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!segment.StartsWith(part, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                position = part.Length;
            }
            else if (i == parts.Length - 1)
            {
                return segment.Length - position >= part.Length && segment.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                var found = segment.IndexOf(part, position, StringComparison.OrdinalIgnoreCase);
                if (found < 0)
                {
                    return false;
                }

                position = found + part.Length;
            }
        }

        return true;
    }
}
