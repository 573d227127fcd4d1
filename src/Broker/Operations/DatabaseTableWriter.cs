using System.Data.Common;
using System.Globalization;
using AgentVault.Broker.Storage.Common;
using Npgsql;

namespace AgentVault.Broker.Operations;

/// <summary>
/// Writes tables into a destination database inside the caller's write transaction: first empties every table (children
/// first), then inserts each table's rows with their original ids, and at the end moves PostgreSQL identity sequences past
/// the highest id copied (SQLite's AUTOINCREMENT counter follows explicit ids by itself).
/// </summary>
internal sealed class DatabaseTableWriter : ITableSink, IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Dictionary<string, SchemaTable> _tables;
    private readonly bool _postgres;
    private DbCommand? _insert;
    private SchemaColumn[] _columns = [];

    private DatabaseTableWriter(DbConnection connection, DbTransaction transaction, IReadOnlyList<SchemaTable> tables)
    {
        _connection = connection;
        _transaction = transaction;
        _tables = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _postgres = connection is NpgsqlConnection;
    }

    /// <summary>Reads the destination's tables and empties them all (the caller has checked it may).</summary>
    public static async Task<DatabaseTableWriter> StartAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = await DatabaseSnapshotReader.CopiedTablesAsync(connection, transaction, cancellationToken);
        foreach (var table in tables.Reverse())
        {
            await SqlDatabase.ExecuteAsync(connection, transaction, $"DELETE FROM {DatabaseSnapshotReader.Quote(table.Name)};", cancellationToken);
        }

        return new DatabaseTableWriter(connection, transaction, tables);
    }

    /// <summary>Whether any table but the migrations' bookkeeping (<c>schema_version</c>, the seeded <c>change_version</c> row) holds a row.</summary>
    public static async Task<IReadOnlyList<string>> NonEmptyTablesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var filled = new List<string>();
        foreach (var table in await DatabaseSnapshotReader.CopiedTablesAsync(connection, transaction, cancellationToken))
        {
            if (table.Name == "change_version")
            {
                continue;
            }

            var any = await SqlDatabase.ScalarAsync(connection, transaction, $"SELECT 1 FROM {DatabaseSnapshotReader.Quote(table.Name)} LIMIT 1;", cancellationToken);
            if (any is not null)
            {
                filled.Add(table.Name);
            }
        }

        return filled;
    }

    public Task BeginTableAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        if (!_tables.TryGetValue(table, out var target))
        {
            throw new OperationsException($"the destination has no table '{table}' (its schema differs from the source's)");
        }

        _columns = [.. columns.Select(name => target.Columns.FirstOrDefault(c => c.Name == name)
            ?? throw new OperationsException($"the destination table '{table}' has no column '{name}' (its schema differs from the source's)"))];
        var names = string.Join(", ", _columns.Select(c => DatabaseSnapshotReader.Quote(c.Name)));
        var parameters = string.Join(", ", _columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        var overriding = _postgres && target.HasGeneratedColumn ? " OVERRIDING SYSTEM VALUE" : string.Empty;
        _insert = SqlDatabase.Command(_connection, _transaction, $"INSERT INTO {DatabaseSnapshotReader.Quote(table)} ({names}){overriding} VALUES ({parameters});");
        for (var i = 0; i < _columns.Length; i++)
        {
            var parameter = _insert.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            _insert.Parameters.Add(parameter);
        }

        return Task.CompletedTask;
    }

    public async Task WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var insert = _insert ?? throw new InvalidOperationException("a row before its table");
        for (var i = 0; i < _columns.Length; i++)
        {
            insert.Parameters[i].Value = _postgres ? CellValues.ForPostgres(values[i], _columns[i]) : CellValues.ForSqlite(values[i]);
        }

        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task EndTableAsync(CancellationToken cancellationToken)
    {
        if (_insert is not null)
        {
            await _insert.DisposeAsync();
            _insert = null;
        }
    }

    /// <summary>Moves every PostgreSQL identity or serial sequence past the highest value now in its column, so the next insert does not collide.</summary>
    public async Task AdvanceSequencesAsync(CancellationToken cancellationToken)
    {
        if (!_postgres)
        {
            return;
        }

        foreach (var table in _tables.Values)
        {
            foreach (var column in table.Columns.Where(c => c.IsGenerated))
            {
                var quotedTable = DatabaseSnapshotReader.Quote(table.Name);
                var quotedColumn = DatabaseSnapshotReader.Quote(column.Name);
                await SqlDatabase.ExecuteAsync(
                    _connection, _transaction,
                    $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE((SELECT MAX({quotedColumn}) FROM {quotedTable}), 0) + 1, false);",
                    cancellationToken, ("table", quotedTable), ("column", column.Name));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_insert is not null)
        {
            await _insert.DisposeAsync();
        }
    }
}
