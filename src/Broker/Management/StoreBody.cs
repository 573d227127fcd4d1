using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Body of <c>PUT /v1/stores/{name}</c>; <see cref="Name"/> is optional and must match the route.</summary>
internal sealed record StoreBody
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public JsonObject? Settings { get; init; }

    public CacheDefinition? Cache { get; init; }
}
