namespace AgentVault.Broker.Model;

/// <summary>Method/path rules of a service: entries <c>"METHOD /path/glob"</c>; deny wins.</summary>
public sealed record RulesDefinition
{
    public List<string>? Allow { get; init; }

    public List<string>? Deny { get; init; }
}
