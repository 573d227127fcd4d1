namespace AgentVault.Broker.Model;

/// <summary>Method/path rules of a service: entries <c>"METHOD /path/glob"</c>; deny wins; <c>approve</c> holds a matching request for a person's decision.</summary>
public sealed record RulesDefinition
{
    public List<string>? Allow { get; init; }

    public List<string>? Deny { get; init; }

    /// <summary>Requests that pass allow/deny but wait for a person's approval first (docs/approvals.md).</summary>
    public List<string>? Approve { get; init; }
}
