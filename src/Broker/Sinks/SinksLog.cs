using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Sinks;

/// <summary>Log messages of the audit sinks (event IDs 9500–9529). Sink names are paths or host:port, never record contents.</summary>
internal static partial class SinksLog
{
    [LoggerMessage(EventId = 9500, Level = LogLevel.Warning, Message = "audit sink {Sink}: {Dropped} records dropped so far (the sink is full: its destination is slow or unreachable)")]
    public static partial void Dropping(ILogger logger, string sink, long dropped);

    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning, Message = "audit sink {Sink}: write failed ({Reason}); retrying in {Delay}")]
    public static partial void WriteFailed(ILogger logger, string sink, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Information, Message = "audit sink {Sink}: connected")]
    public static partial void Connected(ILogger logger, string sink);

    [LoggerMessage(EventId = 9503, Level = LogLevel.Information, Message = "audit sink {Sink}: streaming request-log records and audit-trail entries")]
    public static partial void Started(ILogger logger, string sink);

    [LoggerMessage(EventId = 9504, Level = LogLevel.Warning, Message = "audit sink {Sink}: {Pending} records not delivered at shutdown")]
    public static partial void Abandoned(ILogger logger, string sink, int pending);
}
