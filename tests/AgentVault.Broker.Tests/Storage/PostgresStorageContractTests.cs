using AgentVault.Testing.Postgres;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The storage contract on a real PostgreSQL server, a fresh database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageContractTests(PostgresFixture postgres) : StorageContractTests
{
    internal override async Task<StorageUnderTest> CreateAsync() => await PostgresStorageUnderTest.CreateAsync(postgres.Server);

    internal override async Task<StorageUnderTest> CreateEmptyAsync() => await PostgresStorageUnderTest.CreateAsync(postgres.Server, migrate: false);
}
