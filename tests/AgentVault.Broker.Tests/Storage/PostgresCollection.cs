using AgentVault.Testing.Postgres;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The test classes that share <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
