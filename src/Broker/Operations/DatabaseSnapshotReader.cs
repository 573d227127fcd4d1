using System.Data.Common;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Operations;

/// <summary>Reads every table of a database (but the migrations' own <c>schema_version</c>) inside one snapshot transaction and hands the rows to a sink.</summary>
internal static class DatabaseSnapshotReader
{
    /// <summary>Copies each table to <paramref name="sink"/>, parents first; returns the rows read per table.</summary>
    public static async Task<IReadOnlyList<(string Table, long Rows)>> ReadAsync(DbConnection connection, DbTransaction transaction, ITableSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var counts = new List<(string, long)>();
        foreach (var table in await CopiedTablesAsync(connection, transaction, cancellationToken))
        {
            var columns = table.Columns.Select(c => c.Name).ToList();
            await sink.BeginTableAsync(table.Name, columns, cancellationToken);
            var order = table.Columns.Any(c => c.IsGenerated) ? $" ORDER BY {Quote(table.Columns.First(c => c.IsGenerated).Name)}" : string.Empty;
            await using var command = SqlDatabase.Command(connection, transaction, $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table.Name)}{order};");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            long rows = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new object?[columns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = CellValues.Normalize(reader.GetValue(i));
                }

                await sink.WriteRowAsync(values, cancellationToken);
                rows++;
            }

            await sink.EndTableAsync(cancellationToken);
            counts.Add((table.Name, rows));
        }

        return counts;
    }

    /// <summary>The tables a copy carries: all of them, parents first, but <c>schema_version</c> (the destination's migrations write it).</summary>
    public static async Task<IReadOnlyList<SchemaTable>> CopiedTablesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        [.. (await SchemaCatalog.ReadAsync(connection, transaction, cancellationToken)).Where(t => t.Name != SchemaCatalog.SchemaVersionTable)];

    /// <summary>A double-quoted identifier (both engines accept it); names come from the database's own catalogue.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
