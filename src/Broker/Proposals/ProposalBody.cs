using System.Text.Json.Nodes;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// <c>POST /v1/proposals</c>: services in the configuration file's shape, or <c>{ "catalog": ID, "name"?, "preset"? }</c>,
/// and the credentials they need.
/// </summary>
public sealed record ProposalBody
{
    public string? Vault { get; init; }

    public string? Message { get; init; }

    public List<JsonObject>? Services { get; init; }

    public Dictionary<string, ProposalCredential?>? Credentials { get; init; }
}
