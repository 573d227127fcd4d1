namespace AgentVault.Broker.WebConsole.Logs;

/// <summary>Log messages of the console's live request log (event ids 7040–7049 of the console's 7001–7099).</summary>
internal static partial class LogStreamLog
{
    [LoggerMessage(EventId = 7040, EventName = "ConsoleLogStreamRefused", Level = LogLevel.Information,
        Message = "Console: the management API answered {Status} to the live request-log stream")]
    public static partial void Refused(ILogger logger, int status);

    [LoggerMessage(EventId = 7041, EventName = "ConsoleLogStreamBroken", Level = LogLevel.Debug,
        Message = "Console: the management API's live request-log stream broke; the browser reconnects")]
    public static partial void Broken(ILogger logger, Exception exception);
}
