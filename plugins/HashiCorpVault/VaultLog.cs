using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Log messages of the Vault store; they name stores, methods and paths, never tokens or values.</summary>
internal static partial class VaultLog
{
    [LoggerMessage(EventId = 1, EventName = "VaultLogin", Level = LogLevel.Debug, Message = "Vault store {Store}: {Method} login succeeded, token valid for {TtlSeconds}s")]
    public static partial void LoggedIn(ILogger logger, string store, string method, double ttlSeconds);

    [LoggerMessage(EventId = 2, EventName = "VaultTokenRenewed", Level = LogLevel.Debug, Message = "Vault store {Store}: token renewed, valid for {TtlSeconds}s")]
    public static partial void TokenRenewed(ILogger logger, string store, double ttlSeconds);

    [LoggerMessage(EventId = 3, EventName = "VaultTokenRenewFailed", Level = LogLevel.Information, Message = "Vault store {Store}: token renewal failed ({Reason}); logging in again")]
    public static partial void RenewFailed(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 5, EventName = "VaultTokenRenewRefused", Level = LogLevel.Information, Message = "Vault store {Store}: token renewal refused with status {Status}; logging in again")]
    public static partial void RenewRefused(ILogger logger, string store, int status);

    [LoggerMessage(EventId = 4, EventName = "VaultTokenRejected", Level = LogLevel.Information, Message = "Vault store {Store}: Vault refused the login token for {Path}; logging in again once")]
    public static partial void TokenRejected(ILogger logger, string store, string path);
}
