namespace AgentVault.Broker.Management;

/// <summary>Log messages of the management API; never a token, a secret or a request body.</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(EventId = 4100, EventName = "ManagementRequestFailed", Level = LogLevel.Error, Message = "Management request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 4103, EventName = "ManagementDatabaseUnavailable", Level = LogLevel.Warning, Message = "Management request {Method} {Path} failed: the database is unavailable ({Reason})")]
    public static partial void DatabaseUnavailable(ILogger logger, string method, string path, string reason, Exception exception);

    [LoggerMessage(EventId = 4101, EventName = "ConfigWriteRaced", Level = LogLevel.Information, Message = "A configuration write planned on version {Loaded} lost the race to another writer (now {Current}); attempt {Attempt}")]
    public static partial void ConfigWriteRaced(ILogger logger, long loaded, long current, int attempt);

    [LoggerMessage(EventId = 6202, EventName = "ApiHostRefused", Level = LogLevel.Debug, Message = "Refused an API request for Host {Host}: not a loopback name nor the --public-api-url host")]
    public static partial void ApiHostRefused(ILogger logger, string host);
}
