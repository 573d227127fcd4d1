using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Routing;

internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1201, EventName = "InvalidServiceHost", Level = LogLevel.Warning,
        Message = "Service {Vault}/{Service} is skipped: its host pattern is invalid ({Reason})")]
    public static partial void InvalidServiceHost(ILogger logger, string vault, string service, string reason);

    [LoggerMessage(EventId = 1202, EventName = "AuthSchemeUnavailable", Level = LogLevel.Warning,
        Message = "Service {Vault}/{Service} refuses requests: {Reason}")]
    public static partial void AuthSchemeUnavailable(ILogger logger, string vault, string service, string reason);

    [LoggerMessage(EventId = 1207, EventName = "AuthSchemeFailed", Level = LogLevel.Error,
        Message = "Service {Vault}/{Service}: auth scheme {Type} failed to start; the change is refused")]
    public static partial void AuthSchemeFailed(ILogger logger, string vault, string service, string type, Exception exception);

    [LoggerMessage(EventId = 1205, EventName = "AuthSchemesDisposed", Level = LogLevel.Debug,
        Message = "Disposed {Count} auth scheme instance(s) no longer used by any route table")]
    public static partial void AuthSchemesDisposed(ILogger logger, int count);

    [LoggerMessage(EventId = 1206, EventName = "AuthSchemeDisposeFailed", Level = LogLevel.Warning,
        Message = "Disposing auth scheme {SchemeType} failed ({ExceptionType})")]
    public static partial void AuthSchemeDisposeFailed(ILogger logger, string schemeType, string exceptionType);
}
