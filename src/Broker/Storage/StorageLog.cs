using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1001, EventName = "MigrationApplied", Level = LogLevel.Information, Message = "Database schema migrated to version {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(EventId = 1002, EventName = "ConfigReloaded", Level = LogLevel.Debug, Message = "Configuration state reloaded at change version {Version}")]
    public static partial void ConfigReloaded(ILogger logger, long version);

    [LoggerMessage(EventId = 1003, EventName = "ChangePollFailed", Level = LogLevel.Warning, Message = "Polling the database for configuration changes failed")]
    public static partial void ChangePollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1004, EventName = "ChangedHandlerFailed", Level = LogLevel.Error, Message = "A configuration change handler failed at change version {Version}")]
    public static partial void ChangedHandlerFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(EventId = 1005, EventName = "ChangeListenFailed", Level = LogLevel.Warning, Message = "Listening for configuration change notifications failed; retrying (polling continues meanwhile)")]
    public static partial void ChangeListenFailed(ILogger logger, Exception exception);
}
