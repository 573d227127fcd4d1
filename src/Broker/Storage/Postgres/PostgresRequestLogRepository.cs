using System.Data.Common;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>The request log in the <c>request_log</c> table; ids grow with insertion, so "oldest" is "smallest id".</summary>
internal sealed class PostgresRequestLogRepository(PostgresDatabase database) : IRequestLogRepository
{
    public async Task AppendAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        // One round trip for the whole batch; a batch outside a transaction is still atomic (one implicit transaction).
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var record in records)
        {
            var command = new NpgsqlBatchCommand(RequestLogRows.InsertSql);
            foreach (var (name, value) in RequestLogRows.Values(record, time => time))
            {
                command.Parameters.Add(PostgresDatabase.Parameter(name, value));
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RequestLogRecord>> QueryAsync(string? vault, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = vault is null
            ? await PostgresDatabase.QueryAsync(
                connection, null, $"SELECT {RequestLogRows.Columns} FROM request_log ORDER BY id DESC LIMIT @limit;", Read, cancellationToken, ("limit", Math.Max(0, limit)))
            : await PostgresDatabase.QueryAsync(
                connection, null, $"SELECT {RequestLogRows.Columns} FROM request_log WHERE vault = @vault ORDER BY id DESC LIMIT @limit;", Read, cancellationToken,
                ("vault", vault), ("limit", Math.Max(0, limit)));
        rows.Reverse();
        return rows;
    }

    public async Task TrimAsync(int keep, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresDatabase.ExecuteAsync(
            connection, null,
            RequestLogRows.TrimSql("@keep"),
            cancellationToken, ("keep", Math.Max(0, keep)));
    }

    private static RequestLogRecord Read(DbDataReader reader) => RequestLogRows.Read(reader, PostgresDatabase.ReadTime);
}
