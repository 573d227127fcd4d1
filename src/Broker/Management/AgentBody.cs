namespace AgentVault.Broker.Management;

/// <summary>Body of <c>POST /v1/agents</c> and <c>POST /v1/agents/{name}/rotate</c> (ttl only).</summary>
internal sealed record AgentBody
{
    public string? Name { get; init; }

    public List<string>? Vaults { get; init; }

    public string? Ttl { get; init; }

    public bool? CanMint { get; init; }

    public string? RateLimit { get; init; }

    public int? MaxInFlight { get; init; }
}
