namespace AgentVault.Broker.Model;

/// <summary>A named scope of credentials (key → reference) and services.</summary>
public sealed record VaultDefinition
{
    public required string Name { get; init; }

    /// <summary><c>deny</c> (default) or <c>passthrough</c>.</summary>
    public string? Unmatched { get; init; }

    public Dictionary<string, CredentialDefinition>? Credentials { get; init; }

    public List<ServiceDefinition>? Services { get; init; }
}
