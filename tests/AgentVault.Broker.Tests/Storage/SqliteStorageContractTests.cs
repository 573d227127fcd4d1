namespace AgentVault.Broker.Tests.Storage;

/// <summary>The storage contract on SQLite.</summary>
public sealed class SqliteStorageContractTests : StorageContractTests
{
    internal override Task<StorageUnderTest> CreateAsync() => SqliteStorageUnderTest.CreateAsync();

    internal override Task<StorageUnderTest> CreateEmptyAsync() => Task.FromResult(SqliteStorageUnderTest.CreateEmpty());
}
