using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

public sealed class ConfigWarningsTests
{
    private static readonly string[] Types = ["aws-secrets-manager", "azure-key-vault", "file", "hashicorp-vault", "infisical"];

    [Theory]
    [InlineData("hashicorp-valut", "hashicorp-vault")]
    [InlineData("File", "file")]
    [InlineData("infisicle", "infisical")]
    [InlineData("1password", null)]
    public void AStoreOfAnUnknownType_IsWarnedAbout_NamingTheClosestKnownType(string type, string? closest)
    {
        var document = new ConfigDocument { Stores = [new() { Name = "secrets", Type = type }] };

        var warning = Assert.Single(ConfigWarnings.Collect(document, Types));

        Assert.StartsWith($"stores[0].type: no loaded plugin provides store type '{type}'", warning, StringComparison.Ordinal);
        Assert.Equal(closest is not null, warning.Contains($"(did you mean '{closest}'?)", StringComparison.Ordinal));
        Assert.Contains("known types: aws-secrets-manager, azure-key-vault, file, hashicorp-vault, infisical", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoreOfAKnownType_IsNotWarnedAbout() =>
        Assert.Empty(ConfigWarnings.Collect(new ConfigDocument { Stores = [new() { Name = "local", Type = "file" }] }, Types));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Distance_IsLevenshtein(string a, string b, int expected) => Assert.Equal(expected, Spelling.Distance(a, b));
}
