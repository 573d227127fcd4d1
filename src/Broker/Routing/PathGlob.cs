namespace AgentVault.Broker.Routing;

/// <summary>
/// The compiled path part of a service host pattern. Segments match literally (ordinal, case-sensitive), <c>*</c> matches one
/// segment, <c>**</c> any number of segments; a pattern without wildcards also matches everything below it
/// (<c>/api</c> matches <c>/api</c> and <c>/api/x/y</c>). Matching allocates nothing.
/// </summary>
internal sealed class PathGlob
{
    private readonly string[] _segments;
    private readonly bool _prefix;

    private PathGlob(string[] segments, bool prefix, int literalLength)
    {
        _segments = segments;
        _prefix = prefix;
        LiteralLength = literalLength;
    }

    /// <summary>Length of the literal text before the first wildcard; longer means more specific.</summary>
    public int LiteralLength { get; }

    public static PathGlob Create(string glob)
    {
        var segments = glob.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var star = glob.IndexOf('*', StringComparison.Ordinal);
        return new PathGlob(segments, prefix: star < 0, literalLength: star < 0 ? glob.TrimEnd('/').Length : star);
    }

    public bool Matches(ReadOnlySpan<char> path) => Match(0, path.TrimStart('/'));

    private bool Match(int index, ReadOnlySpan<char> rest)
    {
        if (index == _segments.Length)
        {
            return rest.IsEmpty || _prefix;
        }

        var segment = _segments[index];
        if (segment == "**")
        {
            if (index == _segments.Length - 1)
            {
                return true;
            }

            while (true)
            {
                if (Match(index + 1, rest))
                {
                    return true;
                }

                var slash = rest.IndexOf('/');
                if (slash < 0)
                {
                    return false;
                }

                rest = rest[(slash + 1)..];
            }
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        var end = rest.IndexOf('/');
        var head = end < 0 ? rest : rest[..end];
        var tail = end < 0 ? [] : rest[(end + 1)..];
        if (segment == "*" ? head.IsEmpty : !head.SequenceEqual(segment))
        {
            return false;
        }

        return Match(index + 1, tail);
    }
}
