using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Postgres;
using AgentVault.Testing.Postgres;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>What only PostgreSQL has: connection failures at start-up, the schema guard.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDatabaseTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_WrongPassword_IsAStartupErrorWithoutThePassword()
    {
        var name = await postgres.Server.CreateDatabaseAsync();
        await using var database = PostgresStorageUnderTest.OpenUrl(postgres.Server.UrlFor(name, password: "wrong-hunter2"));

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains($"postgres://postgres@127.0.0.1:{postgres.Server.Port}/{name}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_NobodyListening_IsAStartupErrorWithoutThePassword()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        await using var database = PostgresStorageUnderTest.OpenUrl("postgres://av:hunter2@127.0.0.1:1/x?connect_timeout=5");

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains("cannot use the PostgreSQL database postgres://av@127.0.0.1:1/x", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_SslRequiredButTheServerHasNoTls_IsAStartupError()
    {
        // The test server runs without TLS: sslmode=require must refuse to fall back to a clear-text connection.
        var name = await postgres.Server.CreateDatabaseAsync();
        await using var database = PostgresStorageUnderTest.OpenUrl(postgres.Server.UrlFor(name) + "?sslmode=require");

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains("cannot use the PostgreSQL database", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.Server.SuperuserPassword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithOptionsTheServerAccepts_Works()
    {
        var name = await postgres.Server.CreateDatabaseAsync();
        await using var database = PostgresStorageUnderTest.OpenUrl(postgres.Server.UrlFor(name) + "?sslmode=disable&application_name=av-test&connect_timeout=5&pool_max_size=2");

        await database.MigrateAsync(CancellationToken.None);

        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("av-test", await PostgresDatabase.ScalarAsync(connection, null, "SELECT current_setting('application_name');", CancellationToken.None));
        Assert.Equal(0L, await database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerBuild_IsRefused()
    {
        await using var storage = await PostgresStorageUnderTest.CreateAsync(postgres.Server);
        await using (var connection = await storage.Postgres.OpenAsync(CancellationToken.None))
        {
            await PostgresDatabase.ExecuteAsync(connection, null, "INSERT INTO schema_version (version, applied_at) VALUES (999, now());", CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => storage.Postgres.MigrateAsync(CancellationToken.None));

        Assert.Contains("newer than this build supports", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CreatesTheTablesOfTheSchema()
    {
        await using var storage = await PostgresStorageUnderTest.CreateAsync(postgres.Server);
        await using var connection = await storage.Postgres.OpenAsync(CancellationToken.None);

        var tables = await PostgresDatabase.QueryAsync(
            connection, null, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name;", r => r.GetString(0), CancellationToken.None);

        Assert.Equal(["access_rules", "agents", "audit", "blobs", "change_version", "credentials", "notifications", "proposals", "request_log", "schema_version", "services", "sessions", "stores", "tokens", "vaults"], tables);
    }
}
