using AgentVault.Broker.Policy;

namespace AgentVault.Fuzz;

/// <summary>Operator input that decides where credentials go: service host patterns and their path globs.</summary>
internal static class RoutingTargets
{
    /// <summary>A service <c>host</c>; what it accepts prints as canonical text that parses back to itself.</summary>
    public static void HostPattern(byte[] data)
    {
        if (!Broker.Routing.HostPattern.TryParse(FuzzInput.Text(data), out var pattern, out _))
        {
            return;
        }

        var canonical = pattern.ToString();
        _ = pattern.PathPrefix;
        FuzzInvariantException.Check(Broker.Routing.HostPattern.TryParse(canonical, out var again, out _), "canonical text does not parse");
        FuzzInvariantException.Check(again == pattern, "canonical text parses to another pattern");
        if (pattern.PathGlob is { } glob)
        {
            Broker.Routing.PathGlob.Create(glob);
        }
    }

    /// <summary>First line a path glob, second a request target: matching stays within its documented step bound.</summary>
    public static void PathGlob(byte[] data)
    {
        var lines = FuzzInput.Lines(data);
        var glob = lines[0];
        var compiled = Broker.Routing.PathGlob.Create(glob);
        if (lines.Length < 2 || !Broker.Policy.RequestPath.TryParse(lines[1], out var path, out _))
        {
            return;
        }

        compiled.Matches(path);
        var patternSegments = glob.Split('/', StringSplitOptions.RemoveEmptyEntries).Length + (glob.Contains('*', StringComparison.Ordinal) ? 0 : 1);
        SegmentGlob.Create(glob, StringComparison.Ordinal, matchBelow: true).Matches(path.Segments, out var steps);
        FuzzInvariantException.Check(steps <= (long)(patternSegments + 1) * (path.Segments.Count + 1), $"{steps} steps for {patternSegments} pattern and {path.Segments.Count} path segments");
    }
}
