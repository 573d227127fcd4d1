namespace AgentVault.Broker.Proposals;

/// <summary>A proposal read against the current configuration: the changes in words, the warnings, and the keys still needing a reference.</summary>
public sealed record ProposalReview(IReadOnlyList<string> Changes, IReadOnlyList<ProposalWarning> Warnings, IReadOnlyList<string> MissingCredentials);
