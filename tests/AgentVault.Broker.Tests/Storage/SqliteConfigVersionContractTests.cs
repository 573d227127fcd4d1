namespace AgentVault.Broker.Tests.Storage;

/// <summary>Compare-and-swap configuration saves on SQLite.</summary>
public sealed class SqliteConfigVersionContractTests : ConfigVersionContractTests
{
    internal override Task<StorageUnderTest> CreateAsync() => SqliteStorageUnderTest.CreateAsync();
}
