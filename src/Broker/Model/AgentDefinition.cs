namespace AgentVault.Broker.Model;

/// <summary>An agent identity and the vaults it may use; its tokens are never part of the document.</summary>
public sealed record AgentDefinition
{
    public required string Name { get; init; }

    public List<string>? Vaults { get; init; }

    /// <summary>Whether the agent may mint scoped tokens for its vaults.</summary>
    public bool? CanMint { get; init; }

    /// <summary>Request rate, e.g. <c>50/s</c>; server default when null.</summary>
    public string? RateLimit { get; init; }

    /// <summary>Concurrent in-flight requests; server default when null.</summary>
    public int? MaxInFlight { get; init; }
}
