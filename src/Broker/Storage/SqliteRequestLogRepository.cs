using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Storage;

/// <summary>The request log in the <c>request_log</c> table; ids grow with insertion, so "oldest" is "smallest id".</summary>
internal sealed class SqliteRequestLogRepository(SqliteDatabase database) : IRequestLogRepository
{
    public async Task AppendAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        // One prepared command, its parameters rebound for each record, all in one transaction.
        await using var command = SqliteDatabase.Command(connection, transaction, RequestLogRows.InsertSql);
        foreach (var record in records)
        {
            var values = RequestLogRows.Values(record, SqliteDatabase.FormatTime);
            if (command.Parameters.Count == 0)
            {
                foreach (var (name, _) in values)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = "@" + name });
                }
            }

            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = SqliteDatabase.ParameterValue(values[i].Value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RequestLogRecord>> QueryAsync(string? vault, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await SqliteDatabase.QueryAsync(
            connection, null,
            $"SELECT {RequestLogRows.Columns} FROM request_log " +
            "WHERE $vault IS NULL OR vault = $vault ORDER BY id DESC LIMIT $limit;",
            r => RequestLogRows.Read(r, SqliteDatabase.ReadTime), cancellationToken, ("$vault", vault), ("$limit", Math.Max(0, limit)));
        rows.Reverse();
        return rows;
    }

    public async Task TrimAsync(int keep, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await SqliteDatabase.ExecuteAsync(
            connection, null,
            RequestLogRows.TrimSql("$keep"),
            cancellationToken, ("$keep", Math.Max(0, keep)));
    }
}
