namespace AgentVault.Broker.Management;

/// <summary>Log messages of the management API; never a token, a secret or a request body.</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(EventId = 4001, EventName = "ManagementRequestFailed", Level = LogLevel.Error, Message = "Management request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);
}
