namespace AgentVault.Functional.Tests.Policy;

/// <summary>The policy tests share one broker and run one after another (their limits and slots must not meet).</summary>
[CollectionDefinition(Name)]
public sealed class PolicyCollection : ICollectionFixture<PolicyFixture>
{
    public const string Name = "policy broker";
}
