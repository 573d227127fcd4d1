using System.Data;
using System.Text.Json;
using AgentVault.Broker.Model;
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
        await using var command = SqliteDatabase.Command(
            connection, transaction,
            "INSERT INTO request_log (time, agent, vault, service, method, host, port, path, status, duration_ms, bytes_in, bytes_out, credentials, error, redactions) " +
            "VALUES ($time, $agent, $vault, $service, $method, $host, $port, $path, $status, $duration, $in, $out, $credentials, $error, $redactions);");
        string[] names = ["$time", "$agent", "$vault", "$service", "$method", "$host", "$port", "$path", "$status", "$duration", "$in", "$out", "$credentials", "$error", "$redactions"];
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (var record in records)
        {
            object?[] values =
            [
                SqliteDatabase.FormatTime(record.Time), record.Agent, record.Vault, record.Service, record.Method, record.Host, record.Port, record.Path,
                record.Status, record.DurationMs, record.BytesIn, record.BytesOut, JsonSerializer.Serialize(record.Credentials, ModelJson.Options), record.Error, record.Redactions,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
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
            "SELECT time, agent, vault, service, method, host, port, path, status, duration_ms, bytes_in, bytes_out, credentials, error, redactions FROM request_log " +
            "WHERE $vault IS NULL OR vault = $vault ORDER BY id DESC LIMIT $limit;",
            Read, cancellationToken, ("$vault", vault), ("$limit", Math.Max(0, limit)));
        rows.Reverse();
        return rows;
    }

    public async Task TrimAsync(int keep, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await SqliteDatabase.ExecuteAsync(
            connection, null,
            "DELETE FROM request_log WHERE id <= (SELECT id FROM request_log ORDER BY id DESC LIMIT 1 OFFSET $keep);",
            cancellationToken, ("$keep", Math.Max(0, keep)));
    }

    private static RequestLogRecord Read(SqliteDataReader r) => new()
    {
        Time = SqliteDatabase.ParseTime(r.GetString(0)),
        Agent = r.IsDBNull(1) ? null : r.GetString(1),
        Vault = r.IsDBNull(2) ? null : r.GetString(2),
        Service = r.IsDBNull(3) ? null : r.GetString(3),
        Method = r.GetString(4),
        Host = r.GetString(5),
        Port = r.GetInt32(6),
        Path = r.GetString(7),
        Status = r.GetInt32(8),
        DurationMs = r.GetInt64(9),
        BytesIn = r.GetInt64(10),
        BytesOut = r.GetInt64(11),
        Credentials = JsonSerializer.Deserialize<List<string>>(r.GetString(12), ModelJson.Options) ?? [],
        Error = r.IsDBNull(13) ? null : r.GetString(13),
        Redactions = r.GetInt32(14),
    };
}
