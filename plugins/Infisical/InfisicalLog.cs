using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.Infisical;

/// <summary>Log messages of the Infisical store; they name stores and paths, never tokens or values.</summary>
internal static partial class InfisicalLog
{
    [LoggerMessage(EventId = 1, EventName = "InfisicalLogin", Level = LogLevel.Debug, Message = "Infisical store {Store}: universal-auth login succeeded, token valid for {TtlSeconds}s")]
    public static partial void LoggedIn(ILogger logger, string store, double ttlSeconds);

    [LoggerMessage(EventId = 2, EventName = "InfisicalTokenRenewed", Level = LogLevel.Debug, Message = "Infisical store {Store}: access token renewed, valid for {TtlSeconds}s")]
    public static partial void TokenRenewed(ILogger logger, string store, double ttlSeconds);

    [LoggerMessage(EventId = 3, EventName = "InfisicalTokenRenewRefused", Level = LogLevel.Information, Message = "Infisical store {Store}: token renewal refused with status {Status}; logging in again")]
    public static partial void RenewRefused(ILogger logger, string store, int status);

    [LoggerMessage(EventId = 4, EventName = "InfisicalTokenRenewFailed", Level = LogLevel.Information, Message = "Infisical store {Store}: token renewal failed ({Reason}); logging in again")]
    public static partial void RenewFailed(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 5, EventName = "InfisicalTokenRejected", Level = LogLevel.Information, Message = "Infisical store {Store}: Infisical refused the access token ({What}); logging in again once")]
    public static partial void TokenRejected(ILogger logger, string store, string what);
}
