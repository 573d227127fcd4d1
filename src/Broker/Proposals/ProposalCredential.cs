namespace AgentVault.Broker.Proposals;

/// <summary>
/// A credential a proposal needs: a reference the agent knows (<c>{ "ref": "vault:secret/stripe#key" }</c>) or only a
/// description, for a person to answer with a reference when approving. Never a value: there is no field for one.
/// </summary>
public sealed record ProposalCredential
{
    public string? Ref { get; init; }

    public string? Description { get; init; }
}
