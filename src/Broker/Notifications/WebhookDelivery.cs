using AgentVault.Broker.Model;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// One event on its way to one hook: the hook's definition as configured when the event was published (a later change of the
/// configuration does not redirect it), the event, when it happened, and the id of its <see cref="DeliveryRecord"/>.
/// </summary>
internal sealed record WebhookDelivery(string Id, NotificationDefinition Hook, NotificationEvent Event, DateTimeOffset Time);
