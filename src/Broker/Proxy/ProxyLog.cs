using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>Log messages of the proxy. Never a token, an Authorization value or a credential.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1101, EventName = "ConnectHeadTimeout", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId}: no complete CONNECT head or TLS start within the time limit")]
    public static partial void ConnectHeadTimeout(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 1102, EventName = "ConnectRefused", Level = LogLevel.Debug,
        Message = "CONNECT {Host}:{Port} refused: {Code}")]
    public static partial void ConnectRefused(ILogger logger, string host, int port, string code);

    [LoggerMessage(EventId = 1103, EventName = "TunnelHandshakeFailed", Level = LogLevel.Debug,
        Message = "TLS handshake in the tunnel to {Host}:{Port} failed")]
    public static partial void TunnelHandshakeFailed(ILogger logger, string host, int port, Exception exception);

    [LoggerMessage(EventId = 1104, EventName = "ClientGone", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId}: the client left before the answer was written")]
    public static partial void ClientGone(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1105, EventName = "RequestRefused", Level = LogLevel.Debug,
        Message = "{Method} {Host}:{Port} refused: {Code}")]
    public static partial void RequestRefused(ILogger logger, string method, string host, int port, string code);

    [LoggerMessage(EventId = 1106, EventName = "ForwardFailed", Level = LogLevel.Information,
        Message = "{Method} {Host}:{Port} failed: {Code} ({ForwarderError})")]
    public static partial void ForwardFailed(ILogger logger, string method, string host, int port, string code, Yarp.ReverseProxy.Forwarder.ForwarderError forwarderError, Exception? exception);

    [LoggerMessage(EventId = 1107, EventName = "CredentialUnavailable", Level = LogLevel.Warning,
        Message = "Service {Vault}/{Service}: credential unavailable: {Detail}")]
    public static partial void CredentialUnavailable(ILogger logger, string vault, string service, string detail);

    [LoggerMessage(EventId = 1108, EventName = "AuthSchemeFailed", Level = LogLevel.Error,
        Message = "Service {Vault}/{Service}: the auth scheme failed unexpectedly ({ExceptionType}); the request was refused")]
    public static partial void AuthSchemeFailed(ILogger logger, string vault, string service, string exceptionType);

    [LoggerMessage(EventId = 1109, EventName = "RetryAfterUnauthorized", Level = LogLevel.Debug,
        Message = "Service {Vault}/{Service}: upstream answered 401; retrying once with a refreshed credential")]
    public static partial void RetryAfterUnauthorized(ILogger logger, string vault, string service);

    [LoggerMessage(EventId = 1110, EventName = "ResponseTooLarge", Level = LogLevel.Warning,
        Message = "{Method} {Host}:{Port}: the upstream response is larger than {Limit} bytes; refused or cut off (response_too_large)")]
    public static partial void ResponseTooLarge(ILogger logger, string method, string host, int port, long limit);

    [LoggerMessage(EventId = 1111, EventName = "RequestBodyCutShort", Level = LogLevel.Debug,
        Message = "{Method} {Host}:{Port}: the upstream answered {Status} before reading the whole request body; its answer is passed on")]
    public static partial void RequestBodyCutShort(ILogger logger, string method, string host, int port, int status);

    [LoggerMessage(EventId = 1120, EventName = "UnauthenticatedRefused", Level = LogLevel.Information,
        Message = "Proxy client {Client} refused before authenticating: {Code} ({Suppressed} more from it since its last report)")]
    public static partial void UnauthenticatedRefused(ILogger logger, System.Net.IPAddress client, string code, long suppressed);
}
