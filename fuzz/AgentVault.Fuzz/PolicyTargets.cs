using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;

namespace AgentVault.Fuzz;

/// <summary>Service rules (operator input) judged against request targets (agent input).</summary>
internal static class PolicyTargets
{
    /// <summary>
    /// Lines <c>+ METHOD /glob</c> (allow) and <c>- METHOD /glob</c> (deny), the last line <c>METHOD target</c>: a request a
    /// deny entry matches is never allowed.
    /// </summary>
    public static void Rules(byte[] data)
    {
        var lines = FuzzInput.Lines(data);
        var allow = new List<string>();
        var deny = new List<string>();
        foreach (var line in lines[..^1])
        {
            (line.StartsWith('+') ? allow : deny).Add(line.Length > 0 ? line[1..] : line);
        }

        var rules = RuleSet.Compile(new RulesDefinition { Allow = allow.Count > 0 ? allow : null, Deny = deny });
        _ = rules.ToString();
        var request = lines[^1].Split(' ', 2);
        if (request.Length != 2 || !Broker.Policy.RequestPath.TryParse(request[1], out var path, out _))
        {
            return;
        }

        var allowed = rules.IsAllowed([request[0]], path);
        foreach (var entry in deny)
        {
            if (PathRule.TryParse(entry) is { } rule && rule.Matches(request[0], path.Segments))
            {
                FuzzInvariantException.Check(!allowed, "a request a deny entry matches was allowed");
            }
        }
    }

    /// <summary>A request target as an agent sends it: what is accepted has no dot segment in any reading.</summary>
    public static void RequestPath(byte[] data)
    {
        if (!Broker.Policy.RequestPath.TryParse(FuzzInput.Latin1(data), out var path, out _))
        {
            return;
        }

        foreach (var reading in new[] { path.Segments, path.Loose, path.Spread })
        {
            FuzzInvariantException.Check(!reading.Any(s => s is "." or ".." or ""), "a dot or empty segment was accepted");
        }

        FuzzInvariantException.Check(!path.PathAndQuery.Any(c => c <= 0x20 || c >= 0x7f), "a space, control or non-ASCII character was accepted");
    }
}
