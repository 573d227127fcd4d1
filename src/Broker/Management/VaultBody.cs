namespace AgentVault.Broker.Management;

/// <summary>Body of <c>PUT /v1/vaults/{name}</c>; <see cref="Name"/> is optional and must match the route.</summary>
internal sealed record VaultBody
{
    public string? Name { get; init; }

    public string? Unmatched { get; init; }
}
