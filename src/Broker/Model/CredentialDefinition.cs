using System.Text.Json.Serialization;

namespace AgentVault.Broker.Model;

/// <summary>A credential of a vault: a reference <c>store:path[?query][#field]</c> and an optional TTL; written as a plain string when it has no TTL.</summary>
[JsonConverter(typeof(CredentialDefinitionJsonConverter))]
public sealed record CredentialDefinition
{
    public required string Ref { get; init; }

    public string? Ttl { get; init; }
}
