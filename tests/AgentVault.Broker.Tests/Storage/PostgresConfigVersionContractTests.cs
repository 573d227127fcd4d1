using AgentVault.Testing.Postgres;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>Compare-and-swap configuration saves on a real PostgreSQL server, a fresh database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConfigVersionContractTests(PostgresFixture postgres) : ConfigVersionContractTests
{
    internal override async Task<StorageUnderTest> CreateAsync() => await PostgresStorageUnderTest.CreateAsync(postgres.Server);
}
