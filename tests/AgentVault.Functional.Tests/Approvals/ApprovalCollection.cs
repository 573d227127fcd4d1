namespace AgentVault.Functional.Tests.Approvals;

/// <summary>The approval tests share one broker and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ApprovalCollection : ICollectionFixture<ApprovalFixture>
{
    public const string Name = "approvals broker";
}
