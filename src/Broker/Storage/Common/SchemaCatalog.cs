using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentVault.Broker.Storage.Common;

/// <summary>
/// Reads the tables of a live metadata database (SQLite or PostgreSQL) from the engine's own catalogue, so that whatever
/// copies or snapshots the data follows the schema the migrations built instead of a list kept by hand.
/// </summary>
internal static class SchemaCatalog
{
    /// <summary>The table that records applied migrations; the migrations themselves write it, so copies leave it alone.</summary>
    public const string SchemaVersionTable = "schema_version";

    /// <summary>Every table of the database (the engine's internal ones excluded), parents before the tables that reference them.</summary>
    public static async Task<IReadOnlyList<SchemaTable>> ReadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = connection switch
        {
            SqliteConnection => await ReadSqliteAsync(connection, transaction, cancellationToken),
            NpgsqlConnection => await ReadPostgresAsync(connection, transaction, cancellationToken),
            _ => throw new NotSupportedException($"no schema reader for {connection.GetType().Name}"),
        };
        return InDependencyOrder(tables);
    }

    /// <summary>The highest applied migration, or null when the database has no <c>schema_version</c> table (never migrated).</summary>
    public static async Task<int?> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = connection is SqliteConnection
            ? await SqlDatabase.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @t;", cancellationToken, ("@t", SchemaVersionTable))
            : await SqlDatabase.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @t;", cancellationToken, ("t", SchemaVersionTable));
        if (Convert.ToInt64(exists, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        var newest = await SqlDatabase.ScalarAsync(connection, transaction, "SELECT MAX(version) FROM schema_version;", cancellationToken);
        return newest is null ? 0 : Convert.ToInt32(newest, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<SchemaTable>> ReadSqliteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var names = await SqlDatabase.QueryAsync(connection, transaction, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;", r => (Name: r.GetString(0), Sql: r.GetString(1)), cancellationToken);
        var tables = new List<SchemaTable>();
        foreach (var (name, sql) in names)
        {
            var autoincrement = sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
            var columns = await SqlDatabase.QueryAsync(
                connection, transaction, "SELECT name, type, pk FROM pragma_table_info(@t) ORDER BY cid;",
                r => new SchemaColumn(r.GetString(0), r.GetString(1), autoincrement && r.GetInt64(2) > 0), cancellationToken, ("@t", name));
            var references = await SqlDatabase.QueryAsync(connection, transaction, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(@t);", r => r.GetString(0), cancellationToken, ("@t", name));
            tables.Add(new SchemaTable(name, columns, references));
        }

        return tables;
    }

    private static async Task<List<SchemaTable>> ReadPostgresAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var names = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name;",
            r => r.GetString(0), cancellationToken);
        var tables = new List<SchemaTable>();
        foreach (var name in names)
        {
            var columns = await SqlDatabase.QueryAsync(
                connection, transaction,
                "SELECT column_name, data_type, is_identity = 'YES' OR COALESCE(column_default, '') LIKE 'nextval(%' FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position;",
                r => new SchemaColumn(r.GetString(0), r.GetString(1), r.GetBoolean(2)), cancellationToken, ("t", name));
            var references = await SqlDatabase.QueryAsync(
                connection, transaction,
                "SELECT DISTINCT p.relname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = @t;",
                r => r.GetString(0), cancellationToken, ("t", name));
            tables.Add(new SchemaTable(name, columns, references));
        }

        return tables;
    }

    // Kahn's algorithm over the foreign keys; a self-reference does not order anything, and a cycle (none exists) keeps name order.
    private static List<SchemaTable> InDependencyOrder(List<SchemaTable> tables)
    {
        var ordered = new List<SchemaTable>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = tables.ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(t => t.References.All(r => r == t.Name || placed.Contains(r) || tables.All(o => o.Name != r))).ToList();
            if (ready.Count == 0)
            {
                ready = [remaining[0]];
            }

            foreach (var table in ready)
            {
                ordered.Add(table);
                placed.Add(table.Name);
                remaining.Remove(table);
            }
        }

        return ordered;
    }
}
