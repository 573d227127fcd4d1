using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The broker's <see cref="INotificationPublisher"/>: reads the configuration snapshot it finds (no database, no lock) and
/// queues the event for every hook that subscribes to it. Never blocks and never throws; delivery happens in
/// <see cref="WebhookDeliveryService"/>.
/// </summary>
internal sealed class WebhookPublisher(IConfigStateProvider state, WebhookQueue queue) : INotificationPublisher
{
    public void Publish(NotificationEvent notification)
    {
        if (notification is null)
        {
            return;
        }

        foreach (var hook in state.Current.Config.Notifications ?? [])
        {
            if (hook.Events?.Contains(notification.Event, StringComparer.Ordinal) == true)
            {
                queue.Enqueue(hook, notification);
            }
        }
    }

    /// <summary>Queues a <c>notification.test</c> event for the hook named <paramref name="name"/>; null when no hook has that name.</summary>
    public DeliveryRecord? Test(string name)
    {
        var hook = state.Current.Config.Notifications?.Find(n => string.Equals(n.Name, name, StringComparison.Ordinal));
        if (hook is null)
        {
            return null;
        }

        var id = "test_" + Guid.NewGuid().ToString("N")[..12];
        return queue.Enqueue(hook, new NotificationEvent(
            NotificationEvents.Test, id, string.Empty, string.Empty, $"Test notification for {name} from Agent Vault", "/ui/notifications"));
    }
}
