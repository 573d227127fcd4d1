namespace AgentVault.Broker.Model;

/// <summary>Replace a placeholder the agent sends with a credential, on the declared surfaces only.</summary>
public sealed record SubstitutionDefinition
{
    public required string Key { get; init; }

    public required string Placeholder { get; init; }

    /// <summary>Subset of <c>path</c>, <c>query</c>, <c>header</c>, <c>body</c>, <c>websocket</c>; default path and query.</summary>
    public List<string>? In { get; init; }
}
