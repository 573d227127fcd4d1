using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>Log messages of the <c>github-app</c> scheme; they name vaults, services, installations and expiry times, never a token or a key.</summary>
internal static partial class GitHubAppLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Vault {Vault} service {Service}: installation {Installation} access token obtained, expires {ExpiresAt:O}")]
    public static partial void TokenObtained(ILogger logger, string vault, string service, string installation, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Vault {Vault} service {Service}: upstream answered 401, the cached installation token is dropped")]
    public static partial void TokenRejected(ILogger logger, string vault, string service);
}
