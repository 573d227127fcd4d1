using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Audit;

internal static partial class AuditLog
{
    [LoggerMessage(EventId = 4001, EventName = "RequestLogPersistFailed", Level = LogLevel.Error, Message = "Writing {Count} request-log records to the database failed; they are lost")]
    public static partial void PersistFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4002, EventName = "RequestLogRecordsDropped", Level = LogLevel.Warning, Message = "The request-log queue was full: dropped {Count} records ({Total} since start)")]
    public static partial void RecordsDropped(ILogger logger, long count, long total);

    [LoggerMessage(EventId = 4003, EventName = "RequestLogTrimFailed", Level = LogLevel.Warning, Message = "Trimming the request log to its retention limit failed")]
    public static partial void TrimFailed(ILogger logger, Exception exception);
}
