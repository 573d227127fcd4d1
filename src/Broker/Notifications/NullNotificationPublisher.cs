namespace AgentVault.Broker.Notifications;

/// <summary>Publishes nowhere (tests, and the CLI process).</summary>
internal sealed class NullNotificationPublisher : INotificationPublisher
{
    public static NullNotificationPublisher Instance { get; } = new();

    public void Publish(NotificationEvent notification) => _ = notification;
}
