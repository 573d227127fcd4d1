namespace AgentVault.Broker.Notifications;

/// <summary>Publishes nowhere: for a proxy hosted without the notifications feature (tests).</summary>
internal sealed class NullNotificationPublisher : INotificationPublisher
{
    public static NullNotificationPublisher Instance { get; } = new();

    public void Publish(NotificationEvent notification) => _ = notification;
}
