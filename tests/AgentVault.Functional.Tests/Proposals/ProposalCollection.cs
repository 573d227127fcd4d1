namespace AgentVault.Functional.Tests.Proposals;

/// <summary>The proposal tests share one broker (<see cref="ProposalFixture"/>); they use distinct service names.</summary>
[CollectionDefinition(Name)]
public sealed class ProposalCollection : ICollectionFixture<ProposalFixture>
{
    public const string Name = "proposals";
}
