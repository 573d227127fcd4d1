using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Management;

/// <summary>
/// A store as listed by <c>GET /v1/stores</c>: its definition, whether a live instance exists, its circuit state and its
/// cache figures (<c>cache</c> is the definition's cache settings, <c>cache_stats</c> the counts).
/// </summary>
internal sealed record StoreView(string Name, string Type, JsonObject? Settings, CacheDefinition? Cache, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error, CircuitState Circuit, StoreCacheStats CacheStats);
