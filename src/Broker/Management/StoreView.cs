using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>A store as listed by <c>GET /v1/stores</c>: its definition plus whether a live instance exists.</summary>
internal sealed record StoreView(string Name, string Type, JsonObject? Settings, CacheDefinition? Cache, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error);
