using System.Text.Json;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Postgres;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Operations;

/// <summary>
/// <c>agent-vault migrate</c> with the real broker and a real PostgreSQL: SQLite → PostgreSQL → SQLite, every table compared
/// row by row (read by the test itself), and a broker on each destination accepts the same admin and agent tokens and proxies.
/// </summary>
public sealed class MigrateTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task SqliteToPostgresAndBack_CopiesEveryTable_AndTheSameTokensWork()
    {
        var brokers = new OperationsBroker(output, postgres.Server);
        await using var first = await brokers.StartAsync(databaseUrl: null);
        var (token, upstream) = await brokers.SeedAsync(first);
        var admin = first.Process.AdminToken;
        var sqlite = Path.Combine(first.Process.DataDir, "agent-vault.db");
        Assert.Equal(0, await first.Process.StopAsync());
        var (pgUrl, pgConnection) = await brokers.NewDatabaseAsync();

        var copied = CliAssert.Json(await OperationsBroker.Operator().RunAsync("migrate", "--from", "sqlite:" + sqlite, "--to", pgUrl, "--json"));

        // Every table of the source (listed by the test, not by the code under test) was copied, with every row.
        var source = await TableDump.ReadAsync(sqlite);
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), copied.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        foreach (var filled in new[] { "agents", "audit", "blobs", "change_version", "credentials", "request_log", "services", "stores", "tokens", "vaults" })
        {
            Assert.True(source[filled].Count > 0, $"the scenario left {filled} empty, so its copy is not checked");
        }

        AssertSameRows(source, await TableDump.ReadAsync(pgConnection));
        Assert.DoesNotContain(postgres.Server.SuperuserPassword, copied.GetRawText(), StringComparison.Ordinal);

        // A second copy onto the now non-empty destination is refused without --force.
        var again = CliAssert.Failed(await OperationsBroker.Operator().RunAsync("migrate", "--from", "sqlite:" + sqlite, "--to", pgUrl));
        Assert.Contains("is not empty", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", again.Stderr, StringComparison.Ordinal);

        // A broker on PostgreSQL (fresh data directory) takes the old admin token and agent token, and uses the same CA.
        await using (var onPostgres = await brokers.StartAsync(pgUrl, first.UpstreamCa.PemPath))
        {
            Assert.False(onPostgres.Process.PrintedAdminTokenThisRun);
            Assert.Equal(await File.ReadAllTextAsync(first.CaPath), await File.ReadAllTextAsync(onPostgres.CaPath));
            var agents = CliAssert.Ok(await onPostgres.Process.Cli.With("AGENT_VAULT_ADMIN_TOKEN", admin).RunAsync("agent", "list"));
            Assert.Contains(agents.Lines, l => l.StartsWith("claude ", StringComparison.Ordinal));
            OperationsBroker.AdoptAdminToken(onPostgres, admin);

            // doctor compares this host's clock with the PostgreSQL server's, and finds the migrated schema current.
            var doctor = CliAssert.Json(await onPostgres.Process.Cli.RunAsync("doctor", "--database-url", pgUrl, "--json")).GetProperty("checks").EnumerateArray().ToList();
            Assert.Contains(doctor, c => c.GetProperty("name").GetString() == "clock-database" && c.GetProperty("status").GetString() == "ok");
            Assert.Contains(doctor, c => c.GetProperty("name").GetString() == "database" && c.GetProperty("status").GetString() == "ok");
            Assert.Contains(doctor, c => c.GetProperty("name").GetString() == "ca-expiry" && c.GetProperty("status").GetString() == "ok");

            // The request log grows past the copied ids (the identity sequence was advanced).
            await OperationsBroker.AssertProxiesAsync(onPostgres, upstream, token, "/echo/on-postgres");
            await onPostgres.WaitForLogAsync(r => r.GetRawText().Contains("/echo/on-postgres", StringComparison.Ordinal), "/echo/on-postgres");
            Assert.Equal(0, await onPostgres.Process.StopAsync());
        }

        // And back: PostgreSQL → a new SQLite file, with --force not needed (it is empty), then a broker on it.
        var back = Path.Combine(first.Process.WorkDir, "back", "agent-vault.db");
        CliAssert.Ok(await OperationsBroker.Operator().RunAsync("migrate", "--from", pgUrl, "--to", "sqlite:" + back));
        AssertSameRows(await TableDump.ReadAsync(pgConnection), await TableDump.ReadAsync(back));
        await using var onSqlite = await brokers.StartAsync("sqlite:" + back, first.UpstreamCa.PemPath);
        Assert.False(onSqlite.Process.PrintedAdminTokenThisRun);
        CliAssert.Ok(await onSqlite.Process.Cli.With("AGENT_VAULT_ADMIN_TOKEN", admin).RunAsync("agent", "list"));
        await OperationsBroker.AssertProxiesAsync(onSqlite, upstream, token, "/echo/back-on-sqlite");
    }

    [Fact]
    public async Task MissingSourceOrOneFromANewerVersion_IsRefusedClearly()
    {
        var brokers = new OperationsBroker(output, postgres.Server);
        var work = Directory.CreateTempSubdirectory("agent-vault-migrate-").FullName;
        try
        {
            var source = Path.Combine(work, "source.db");
            var (pgUrl, _) = await brokers.NewDatabaseAsync();
            var missing = CliAssert.Failed(await OperationsBroker.Operator().RunAsync("migrate", "--from", "sqlite:" + source, "--to", pgUrl));
            Assert.Contains("there is no database at", missing.Stderr, StringComparison.Ordinal);

            // A database written by a newer agent-vault (its schema_version says 999).
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + source + ";Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00Z');";
                await command.ExecuteNonQueryAsync();
            }

            var refused = CliAssert.Failed(await OperationsBroker.Operator().RunAsync("migrate", "--from", "sqlite:" + source, "--to", pgUrl));
            Assert.Contains("schema version 999, newer than this agent-vault supports", refused.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(postgres.Server.SuperuserPassword, refused.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    internal static void AssertSameRows(SortedDictionary<string, List<string>> expected, SortedDictionary<string, List<string>> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (table, rows) in expected)
        {
            Assert.True(rows.SequenceEqual(actual[table]), $"table {table} differs:\nexpected\n{string.Join('\n', rows)}\nactual\n{string.Join('\n', actual[table])}");
        }
    }
}
