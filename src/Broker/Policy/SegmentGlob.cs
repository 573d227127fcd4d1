namespace AgentVault.Broker.Policy;

/// <summary>
/// A path glob compiled to segments, matched against the segments of a <see cref="RequestPath"/>: <c>**</c> matches any
/// number of segments (also none), <c>*</c> exactly one, and <c>*</c> inside a segment any characters within it
/// (<c>*.json</c>). Literal text is percent-decoded once, like the request's segments. Matching takes at most
/// (pattern segments + 1) × (path segments + 1) segment comparisons, however many <c>**</c> the pattern has.
/// </summary>
internal sealed class SegmentGlob
{
    private readonly GlobSegment[] _segments;
    private readonly StringComparison _comparison;

    private SegmentGlob(GlobSegment[] segments, StringComparison comparison)
    {
        _segments = segments;
        _comparison = comparison;
    }

    /// <summary>
    /// Compiles <paramref name="glob"/> (segments separated by <c>/</c>, empty ones ignored); with
    /// <paramref name="matchBelow"/> a glob without wildcard also matches every path below it.
    /// </summary>
    public static SegmentGlob Create(string glob, StringComparison comparison, bool matchBelow = false)
    {
        var texts = glob.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = texts.Select(GlobSegment.Parse).ToList();
        if (matchBelow && !glob.Contains('*', StringComparison.Ordinal))
        {
            segments.Add(GlobSegment.AnyDepth);
        }

        return new SegmentGlob([.. segments], comparison);
    }

    public bool Matches(IReadOnlyList<string> path) => Matches(path, out _);

    /// <summary>Matches and reports the number of segment comparisons made (tests check the bound with it).</summary>
    internal bool Matches(IReadOnlyList<string> path, out long steps)
    {
        // The classic wildcard algorithm over segments: every segment pattern other than ** consumes exactly one path
        // segment, so on a mismatch it is enough to let the most recent ** swallow one more segment and retry from
        // there; earlier ** never need to be revisited. Each path position is retried at most once per pattern segment.
        steps = 0;
        int p = 0, s = 0, star = -1, starPath = 0;
        while (s < path.Count)
        {
            steps++;
            if (p < _segments.Length && _segments[p].IsAnyDepth)
            {
                star = ++p;
                starPath = s;
            }
            else if (p < _segments.Length && _segments[p].Matches(path[s], _comparison))
            {
                p++;
                s++;
            }
            else if (star >= 0)
            {
                p = star;
                s = ++starPath;
            }
            else
            {
                return false;
            }
        }

        while (p < _segments.Length && _segments[p].IsAnyDepth)
        {
            p++;
        }

        return p == _segments.Length;
    }

    public override string ToString() => "/" + string.Join('/', _segments.Select(s => s.Text));
}
