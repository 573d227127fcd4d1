using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Audit;

internal static partial class AuditLog
{
    [LoggerMessage(EventId = 4001, EventName = "RequestLogPersistFailed", Level = LogLevel.Error, Message = "Writing {Count} request-log records to the database failed; they are dropped")]
    public static partial void PersistFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4002, EventName = "RequestLogRecordsDropped", Level = LogLevel.Warning, Message = "Dropped {Count} request-log records ({Total} since start): the queue was full or the database refused them")]
    public static partial void RecordsDropped(ILogger logger, long count, long total);

    [LoggerMessage(EventId = 4004, EventName = "RequestLogDatabaseUnavailable", Level = LogLevel.Warning, Message = "The database is unavailable ({Reason}): request-log records are held in the queue (up to {Capacity}) and retried every {RetrySeconds} s at most; beyond that they are dropped and counted")]
    public static partial void DatabaseUnavailable(ILogger logger, string reason, int capacity, double retrySeconds, Exception exception);

    [LoggerMessage(EventId = 4005, EventName = "RequestLogDatabaseBack", Level = LogLevel.Information, Message = "The database is back after {Seconds:0.0} s: held request-log records are being written")]
    public static partial void DatabaseBack(ILogger logger, double seconds);

    [LoggerMessage(EventId = 4003, EventName = "RequestLogTrimFailed", Level = LogLevel.Warning, Message = "Trimming the request log to its retention limit failed")]
    public static partial void TrimFailed(ILogger logger, Exception exception);
}
