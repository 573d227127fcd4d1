using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 2001, EventName = "DataKeyCreated", Level = LogLevel.Information, Message = "Created a new data key (protected by {Kek})")]
    public static partial void DataKeyCreated(ILogger logger, string kek);

    [LoggerMessage(EventId = 2002, EventName = "DevKeyFileCreated", Level = LogLevel.Warning,
        Message = "--dev: generated the master key file {Path}; anyone who can read it can decrypt this data directory. Use AGENT_VAULT_MASTER_PASSWORD in production")]
    public static partial void DevKeyFileCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 2003, EventName = "PasswordIgnoredForKeyFile", Level = LogLevel.Warning,
        Message = "This data directory is protected by the key file {Path}; the master password given is not used")]
    public static partial void PasswordIgnoredForKeyFile(ILogger logger, string path);

    [LoggerMessage(EventId = 2004, EventName = "AdminTokenCreated", Level = LogLevel.Information, Message = "Created the admin token and wrote it to {Path}")]
    public static partial void AdminTokenCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 2090, EventName = "AdminTokenReloadFailed", Level = LogLevel.Warning, Message = "Could not reread the admin token's hash after a change ({Error}); the current one stays until the next change")]
    public static partial void AdminTokenReloadFailed(ILogger logger, string error);
}
