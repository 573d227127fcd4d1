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

    [LoggerMessage(EventId = 1203, EventName = "RouteTableRebuilt", Level = LogLevel.Debug,
        Message = "Route table rebuilt for configuration version {Version}")]
    public static partial void RouteTableRebuilt(ILogger logger, long version);

    [LoggerMessage(EventId = 1204, EventName = "RouteTableRebuildFailed", Level = LogLevel.Error,
        Message = "Route table rebuild for configuration version {Version} failed; the previous table stays in use")]
    public static partial void RouteTableRebuildFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(EventId = 1205, EventName = "AuthSchemesDisposed", Level = LogLevel.Debug,
        Message = "Disposed {Count} auth scheme instance(s) no longer used by any route table")]
    public static partial void AuthSchemesDisposed(ILogger logger, int count);

    [LoggerMessage(EventId = 1206, EventName = "AuthSchemeDisposeFailed", Level = LogLevel.Warning,
        Message = "Disposing auth scheme {SchemeType} failed ({ExceptionType})")]
    public static partial void AuthSchemeDisposeFailed(ILogger logger, string schemeType, string exceptionType);
}
