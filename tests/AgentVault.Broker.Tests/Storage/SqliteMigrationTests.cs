using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Tests.Storage;

public sealed class SqliteMigrationTests
{
    [Fact]
    public async Task FreshDatabase_MigratesToLatestWithEveryTable()
    {
        using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync(CancellationToken.None);

        var versions = await SqliteDatabase.QueryAsync(connection, null, "SELECT version FROM schema_version ORDER BY version;", r => r.GetInt64(0), CancellationToken.None);
        var tables = await SqliteDatabase.QueryAsync(connection, null, "SELECT name FROM sqlite_master WHERE type = 'table';", r => r.GetString(0), CancellationToken.None);
        var journal = await SqliteDatabase.ScalarAsync(connection, null, "PRAGMA journal_mode;", CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, SqliteDatabase.LatestVersion).Select(v => (long)v), versions);
        foreach (var table in new[] { "stores", "vaults", "credentials", "services", "agents", "tokens", "blobs", "request_log", "change_version", "notifications", "proposals", "access_rules", "sessions", "audit" })
        {
            Assert.Contains(table, tables);
        }

        Assert.Equal("wal", journal);
    }

    [Fact]
    public async Task MigrateAgain_IsIdempotentAndKeepsData()
    {
        using var db = await TestDatabase.CreateAsync();
        var blobs = new SqliteBlobRepository(db.Database);
        await blobs.PutAsync("keep", [1, 2, 3], CancellationToken.None);

        await db.Open().MigrateAsync(CancellationToken.None);
        await db.Database.MigrateAsync(CancellationToken.None);

        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        var rows = await SqliteDatabase.ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_version;", CancellationToken.None);
        Assert.Equal((long)SqliteDatabase.LatestVersion, rows);
        Assert.Equal(new byte[] { 1, 2, 3 }, await blobs.GetAsync("keep", CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentMigrations_ApplyEachVersionOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), "av-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var location = new DatabaseLocation(Path.Combine(directory, "shared.db"));
            var instances = Enumerable.Range(0, 4).Select(_ => new SqliteDatabase(location, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance)).ToList();

            await Task.WhenAll(instances.Select(i => Task.Run(() => i.MigrateAsync(CancellationToken.None))));

            await using var connection = await instances[0].OpenAsync(CancellationToken.None);
            Assert.Equal((long)SqliteDatabase.LatestVersion, await SqliteDatabase.ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_version;", CancellationToken.None));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task DatabaseOfVersion1_VaultsGetIdsAndScopedTokensAreBoundToTheirVault()
    {
        using var db = TestDatabase.CreateEmpty();
        await using (var connection = await db.Database.OpenAsync(CancellationToken.None))
        {
            await SqliteDatabase.ExecuteAsync(connection, null, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", CancellationToken.None);
            await SqliteDatabase.ExecuteAsync(connection, null, SqliteMigrations.All[0], CancellationToken.None);
            await SqliteDatabase.ExecuteAsync(connection, null, """
                INSERT INTO schema_version (version, applied_at) VALUES (1, 'x');
                INSERT INTO vaults (name, position) VALUES ('dev', 0), ('prod', 1);
                INSERT INTO tokens (id, hash, agent, kind, vault, created_at) VALUES
                    ('tok_agent', 'h1', 'claude', 'agent', NULL, '2026-11-28T12:00:00.0000000Z'),
                    ('tok_scoped', 'h2', 'claude', 'scoped', 'dev', '2026-11-28T12:00:00.0000000Z'),
                    ('tok_gone', 'h3', '(admin)', 'scoped', 'deleted', '2026-11-28T12:00:00.0000000Z');
                """, CancellationToken.None);
        }

        await db.Database.MigrateAsync(CancellationToken.None);

        var vaults = (await new SqliteConfigRepository(db.Database, TimeProvider.System).LoadAsync(CancellationToken.None)).Vaults!;
        var tokens = (await new SqliteTokenRepository(db.Database).ListAsync(CancellationToken.None)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        Assert.All(vaults, v => Assert.StartsWith("vlt_", v.Id, StringComparison.Ordinal));
        Assert.NotEqual(vaults[0].Id, vaults[1].Id);
        Assert.Equal(vaults.Single(v => v.Name == "dev").Id, tokens["tok_scoped"].VaultId);
        Assert.Null(tokens["tok_scoped"].MintedBy);
        Assert.Null(tokens["tok_agent"].VaultId);
        Assert.Null(tokens["tok_gone"].VaultId);
    }

    [Fact]
    public async Task DatabaseFromNewerBuild_RefusesToStart()
    {
        using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.Database.OpenAsync(CancellationToken.None))
        {
            await SqliteDatabase.ExecuteAsync(connection, null, "INSERT INTO schema_version (version, applied_at) VALUES (999, 'x');", CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => db.Database.MigrateAsync(CancellationToken.None));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewDatabaseFile_IsOwnerOnly()
    {
        using var db = await TestDatabase.CreateAsync();

        var mode = FileModes.Of(db.FilePath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
