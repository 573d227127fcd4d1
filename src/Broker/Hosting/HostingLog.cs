using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Hosting;

/// <summary>Log messages of the Hosting feature: paths and host names only.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 6201, EventName = "LoosePermissions", Level = LogLevel.Warning, Message = "--dev: {Problem}")]
    public static partial void LoosePermissions(ILogger logger, string problem);
}
