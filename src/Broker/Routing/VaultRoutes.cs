using System.Collections.Frozen;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Routing;

/// <summary>
/// The immutable route table of one vault. Precedence: exact host over one-level wildcard, then a pattern naming its port (or
/// the default 443) over one for any port (<c>:*</c>), then the longest literal path prefix, then declaration order.
/// </summary>
internal sealed class VaultRoutes
{
    private readonly FrozenDictionary<string, ServiceRoute[]> _exact;
    private readonly FrozenDictionary<string, ServiceRoute[]>.AlternateLookup<ReadOnlySpan<char>> _wildcard;

    public VaultRoutes(string name, bool passthrough, IEnumerable<ServiceRoute> routes)
    {
        Name = name;
        Passthrough = passthrough;
        var all = routes.ToArray();
        _exact = Group(all.Where(r => !r.Pattern.IsWildcard));
        _wildcard = Group(all.Where(r => r.Pattern.IsWildcard)).GetAlternateLookup<ReadOnlySpan<char>>();
        Services = all;
    }

    public string Name { get; }

    /// <summary>True when the vault's <c>unmatched</c> policy is <c>passthrough</c>.</summary>
    public bool Passthrough { get; }

    public IReadOnlyList<ServiceRoute> Services { get; }

    /// <summary>The best service for a request, or null when none matches (the vault's unmatched policy applies).</summary>
    public ServiceRoute? Match(string host, int port, RequestPath path)
    {
        if (_exact.TryGetValue(host, out var exact) && Best(exact, port, path) is { } found)
        {
            return found;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcard.TryGetValue(host.AsSpan(dot + 1), out var wild) ? Best(wild, port, path) : null;
    }

    /// <summary>True when some service (enabled or not, any path) covers the host and port; decides CONNECT before any path is known.</summary>
    public bool CoversHost(string host, int port)
    {
        if (_exact.TryGetValue(host, out var exact) && Array.Exists(exact, r => r.MatchesPort(port)))
        {
            return true;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcard.TryGetValue(host.AsSpan(dot + 1), out var wild) && Array.Exists(wild, r => r.MatchesPort(port));
    }

    private static ServiceRoute? Best(ServiceRoute[] candidates, int port, RequestPath path)
    {
        ServiceRoute? best = null;
        foreach (var route in candidates)
        {
            if (!route.MatchesPort(port) || !route.MatchesPath(path))
            {
                continue;
            }

            if (best is null || IsBetter(route, best))
            {
                best = route;
            }
        }

        return best;
    }

    private static bool IsBetter(ServiceRoute a, ServiceRoute b)
    {
        var aPort = !a.Pattern.AnyPort;
        var bPort = !b.Pattern.AnyPort;
        if (aPort != bPort)
        {
            return aPort;
        }

        return a.PathLength != b.PathLength ? a.PathLength > b.PathLength : a.Order < b.Order;
    }

    private static FrozenDictionary<string, ServiceRoute[]> Group(IEnumerable<ServiceRoute> routes) =>
        routes.GroupBy(r => r.Pattern.Host, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
}
