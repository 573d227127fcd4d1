using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Access;

/// <summary>Log messages of the Access feature (event IDs 9400–9419).</summary>
internal static partial class AccessLog
{
    [LoggerMessage(EventId = 9400, EventName = "AuditWriteFailed", Level = LogLevel.Error, Message = "Could not store the audit entry {Action} {Target} ({Error}); the change itself was made")]
    public static partial void AuditWriteFailed(ILogger logger, string action, string target, string error);

    [LoggerMessage(EventId = 9401, EventName = "AdminTokenRotated", Level = LogLevel.Warning, Message = "The admin token was rotated by {Actor}; the previous one no longer works")]
    public static partial void AdminTokenRotated(ILogger logger, string actor);
}
