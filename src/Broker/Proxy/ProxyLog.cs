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

    [LoggerMessage(EventId = 1112, EventName = "TunnelWriteStalled", Level = LogLevel.Information,
        Message = "Connection {ConnectionId}: closed the tunnel, its client took nothing the broker wrote for {Seconds} s")]
    public static partial void TunnelWriteStalled(ILogger logger, string connectionId, int seconds);

    [LoggerMessage(EventId = 1120, EventName = "UnauthenticatedRefused", Level = LogLevel.Information,
        Message = "Proxy client {Client} refused before authenticating: {Code} ({Suppressed} more from it since its last report)")]
    public static partial void UnauthenticatedRefused(ILogger logger, System.Net.IPAddress client, string code, long suppressed);
}
