using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>A store's circuit state and cache figures as <c>GET /v1/stores</c> lists them (<c>circuit</c>, <c>cache_stats</c>).</summary>
internal sealed record StoreFigures(string Circuit, string Entries, string Hits, string Misses, string StaleServes)
{
    public static StoreFigures Of(JsonElement store)
    {
        var stats = store.ValueKind == JsonValueKind.Object && store.TryGetProperty("cache_stats", out var s) ? s : default;
        var circuit = PageJson.Text(store, "circuit");
        return new StoreFigures(
            circuit.Length > 0 ? circuit : "unknown",
            Count(stats, "entries"),
            Count(stats, "hits"),
            Count(stats, "misses"),
            Count(stats, "stale_serves"));
    }

    /// <summary>The circuit state as people read it (<c>half_open</c> → "half-open").</summary>
    public string CircuitText => Circuit.Replace('_', '-');

    public string CacheText => $"{Entries} cached, {Hits} hits, {Misses} misses, {StaleServes} stale";

    private static string Count(JsonElement stats, string name)
    {
        var text = PageJson.Text(stats, name);
        return text.Length > 0 ? text : "0";
    }
}
