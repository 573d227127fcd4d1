using AgentVault.Broker.Model;

namespace AgentVault.Broker.WebConsole.Logs;

/// <summary>
/// A host agents were refused for with <c>host_not_allowed</c> in one vault: how often and when last, and where to create a
/// service for it. <see cref="Host"/> is written as a service host pattern: with the port unless it is 443, the port a
/// pattern without one matches (docs/configuration.md).
/// </summary>
internal sealed record UnmatchedHost(string Vault, string Host, int Count, DateTimeOffset LastSeen)
{
    public const string HostNotAllowed = "host_not_allowed";

    public string CreateServiceUrl => $"/ui/vaults/{Uri.EscapeDataString(Vault)}?host={Uri.EscapeDataString(Host)}";

    /// <summary>The unmatched hosts among <paramref name="records"/>, the most recently refused first.</summary>
    public static IReadOnlyList<UnmatchedHost> From(IEnumerable<RequestLogRecord> records) =>
        [.. records
            .Where(r => r.Error == HostNotAllowed && !string.IsNullOrEmpty(r.Vault) && r.Host.Length > 0)
            .GroupBy(r => (Vault: r.Vault!, Host: Pattern(r.Host, r.Port)))
            .Select(g => new UnmatchedHost(g.Key.Vault, g.Key.Host, g.Count(), g.Max(r => r.Time)))
            .OrderByDescending(h => h.LastSeen)
            .ThenBy(h => h.Vault, StringComparer.Ordinal)
            .ThenBy(h => h.Host, StringComparer.Ordinal)];

    private static string Pattern(string host, int port)
    {
        var name = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return port == 443 ? name : $"{name}:{port}";
    }
}
