using System.Collections.Concurrent;
using AgentVault.Broker.Notifications;

namespace AgentVault.Broker.Tests.Approvals;

/// <summary>Keeps every event the registry publishes.</summary>
internal sealed class RecordingPublisher : INotificationPublisher
{
    public ConcurrentQueue<NotificationEvent> Events { get; } = new();

    public void Publish(NotificationEvent notification) => Events.Enqueue(notification);
}
