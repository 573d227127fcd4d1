namespace AgentVault.Functional.Tests.Soak;

/// <summary>The soak runs alone (not beside other test classes), so its figures are the broker's, not the neighbours'.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "soak";
}
