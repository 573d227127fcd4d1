using AgentVault.Broker.Model;

namespace AgentVault.Broker.Sinks;

/// <summary>One record on its way to the sinks: a request-log record or an audit-trail entry, formatted by the sink's own task.</summary>
internal sealed record SinkRecord
{
    private SinkRecord(string type, DateTimeOffset time, object payload)
    {
        Type = type;
        Time = time;
        Payload = payload;
    }

    /// <summary><c>request</c> or <c>audit</c>: the JSON <c>type</c> field and the syslog MSGID.</summary>
    public string Type { get; }

    public DateTimeOffset Time { get; }

    /// <summary>The <see cref="RequestLogRecord"/> or <see cref="AuditEntry"/>.</summary>
    public object Payload { get; }

    public static SinkRecord Request(RequestLogRecord record) => new("request", record.Time, record);

    public static SinkRecord Audit(AuditEntry entry) => new("audit", entry.Time, entry);
}
