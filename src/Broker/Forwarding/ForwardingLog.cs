using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AgentVault.Broker.Forwarding;

/// <summary>Log messages of forwarding (event ids 1106–1111 of the proxy range). Never a token, an Authorization value or a credential.</summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 1106, EventName = "ForwardFailed", Level = LogLevel.Information,
        Message = "{Method} {Host}:{Port} failed: {Code} ({ForwarderError})")]
    public static partial void ForwardFailed(ILogger logger, string method, string host, int port, string code, ForwarderError forwarderError, Exception? exception);

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
}
