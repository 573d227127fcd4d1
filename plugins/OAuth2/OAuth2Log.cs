using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Log messages of the OAuth 2.0 schemes; they name vaults, services and lifetimes, never a token or a key.</summary>
internal static partial class OAuth2Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Vault {Vault} service {Service}: {Scheme} access token obtained, valid for {Seconds}s")]
    public static partial void TokenObtained(ILogger logger, string vault, string service, string scheme, long seconds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Vault {Vault} service {Service}: upstream answered 401, the cached access token is dropped")]
    public static partial void TokenRejected(ILogger logger, string vault, string service);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Vault {Vault} service {Service}: the token endpoint rotated the refresh token; the stored credential {Key} is now stale and the new one is kept in memory only until the broker restarts")]
    public static partial void RefreshTokenRotated(ILogger logger, string vault, string service, string key);
}
