using System.Data.Common;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>request_log</c> table's columns and the mapping of one of its rows to a <see cref="RequestLogRecord"/>.</summary>
internal static class RequestLogRows
{
    public const string Columns = "time, agent, vault, service, method, host, port, path, status, duration_ms, bytes_in, bytes_out, credentials, error, redactions, approval, decided_by, trace_id";

    /// <summary>Inserts one record; its parameters, in order, are <see cref="Values"/>.</summary>
    public const string InsertSql =
        $"INSERT INTO request_log ({Columns}) VALUES (@time, @agent, @vault, @service, @method, @host, @port, @path, @status, @duration, @in, @out, @credentials, @error, @redactions, @approval, @decided_by, @trace_id);";

    /// <summary>The parameters of <see cref="InsertSql"/> for <paramref name="record"/>; <paramref name="time"/> encodes a time the way the engine stores it.</summary>
    public static (string Name, object? Value)[] Values(RequestLogRecord record, Func<DateTimeOffset, object> time)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(time);
        return
        [
            ("time", time(record.Time)), ("agent", record.Agent), ("vault", record.Vault), ("service", record.Service), ("method", record.Method), ("host", record.Host),
            ("port", record.Port), ("path", record.Path), ("status", record.Status), ("duration", record.DurationMs), ("in", record.BytesIn), ("out", record.BytesOut),
            ("credentials", JsonSerializer.Serialize(record.Credentials, ModelJson.Options)), ("error", record.Error), ("redactions", record.Redactions),
            ("approval", record.Approval), ("decided_by", record.DecidedBy), ("trace_id", record.TraceId),
        ];
    }

    /// <summary>Deletes all but the newest <c>keep</c> records; the engine's parameter placeholder is <paramref name="keepParameter"/>.</summary>
    public static string TrimSql(string keepParameter) =>
        $"DELETE FROM request_log WHERE id <= (SELECT id FROM request_log ORDER BY id DESC LIMIT 1 OFFSET {keepParameter});";

    /// <summary>Maps a row selected with <see cref="Columns"/>.</summary>
    public static RequestLogRecord Read(DbDataReader r, TimeColumnReader time)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(time);
        return new()
        {
            Time = time(r, 0),
            Agent = SqlDatabase.ReadText(r, 1),
            Vault = SqlDatabase.ReadText(r, 2),
            Service = SqlDatabase.ReadText(r, 3),
            Method = r.GetString(4),
            Host = r.GetString(5),
            Port = r.GetInt32(6),
            Path = r.GetString(7),
            Status = r.GetInt32(8),
            DurationMs = r.GetInt64(9),
            BytesIn = r.GetInt64(10),
            BytesOut = r.GetInt64(11),
            Credentials = JsonSerializer.Deserialize<List<string>>(r.GetString(12), ModelJson.Options) ?? [],
            Error = SqlDatabase.ReadText(r, 13),
            Redactions = r.GetInt32(14),
            Approval = SqlDatabase.ReadText(r, 15),
            DecidedBy = SqlDatabase.ReadText(r, 16),
            TraceId = SqlDatabase.ReadText(r, 17),
        };
    }
}
