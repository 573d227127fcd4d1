namespace AgentVault.Broker.Management;

/// <summary>Body of <c>POST /v1/tokens</c>: a scoped token for one vault.</summary>
internal sealed record TokenBody
{
    public string? Vault { get; init; }

    public string? Ttl { get; init; }

    public string? Label { get; init; }

    public string? Agent { get; init; }
}
