namespace AgentVault.Broker.Notifications;

/// <summary>
/// Hands an event to every configured webhook that subscribes to it. Never blocks and never throws: delivery (signing,
/// retries with backoff, the delivery log) happens in the background.
/// </summary>
public interface INotificationPublisher
{
    void Publish(NotificationEvent notification);
}
