using System.Text.Json.Nodes;

namespace AgentVault.Broker.Model;

/// <summary>A configured secret store: a plugin type plus settings (secrets only as references).</summary>
public sealed record StoreDefinition
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public JsonObject? Settings { get; init; }

    public CacheDefinition? Cache { get; init; }
}
