using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// Log messages of webhook delivery (event ids 8001–8099): the hook's name, the event and the URL's host only — never the
/// secret, the signature, the URL's path (a Slack webhook URL's path is its credential) or a response body.
/// </summary>
internal static partial class NotificationsLog
{
    [LoggerMessage(EventId = 8001, EventName = "NotificationDropped", Level = LogLevel.Warning,
        Message = "Notification {Event} {Id} for {Notification} dropped: the delivery queue is full")]
    public static partial void Dropped(ILogger logger, string @event, string id, string notification);

    [LoggerMessage(EventId = 8002, EventName = "NotificationDelivered", Level = LogLevel.Debug,
        Message = "Notification {Event} {Id} delivered to {Notification} ({Host}) after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, string @event, string id, string notification, string host, int attempts);

    [LoggerMessage(EventId = 8003, EventName = "NotificationAttemptFailed", Level = LogLevel.Information,
        Message = "Notification {Event} {Id} to {Notification} ({Host}): attempt {Attempt} failed ({Outcome}); retrying in {Delay}")]
    public static partial void AttemptFailed(ILogger logger, string @event, string id, string notification, string host, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(EventId = 8004, EventName = "NotificationFailed", Level = LogLevel.Warning,
        Message = "Notification {Event} {Id} to {Notification} ({Host}) failed after {Attempts} attempt(s): {Outcome}")]
    public static partial void Failed(ILogger logger, string @event, string id, string notification, string host, int attempts, string outcome);
}
