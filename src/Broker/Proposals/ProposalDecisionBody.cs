namespace AgentVault.Broker.Proposals;

/// <summary>
/// <c>POST /v1/proposals/{id}/approve</c> (<see cref="Credentials"/>: references for the keys the proposal only described,
/// or to use instead of the agent's) and <c>/reject</c> (<see cref="Reason"/>).
/// </summary>
public sealed record ProposalDecisionBody
{
    public Dictionary<string, string>? Credentials { get; init; }

    public string? Reason { get; init; }
}
