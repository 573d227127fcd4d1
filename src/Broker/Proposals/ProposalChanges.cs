using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proposals;

/// <summary>What a proposal adds to its vault, as stored in <see cref="ProposalRecord.Changes"/>: services (catalog templates already expanded) and credentials.</summary>
public sealed record ProposalChanges
{
    public List<ServiceDefinition> Services { get; init; } = [];

    public Dictionary<string, ProposalCredential> Credentials { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, ModelJson.Options);

    public static ProposalChanges FromJson(string json) => JsonSerializer.Deserialize<ProposalChanges>(json, ModelJson.Options) ?? new();
}
