using System.Security.Cryptography;
using System.Threading.Channels;
using AgentVault.Broker.Model;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The bounded queue between publishers and the delivery service. Enqueueing never waits: when <see cref="Capacity"/>
/// deliveries are already waiting, the new one is dropped, counted (<c>agentvault_notifications_dropped_total</c>), logged
/// and shown as <c>dropped</c> in the delivery log, so a webhook that is down can never slow a proposal or a held request.
/// </summary>
internal sealed class WebhookQueue
{
    public const int Capacity = 1000;

    private readonly Channel<WebhookDelivery> _channel;
    private readonly DeliveryLog _log;
    private readonly NotificationsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WebhookQueue(DeliveryLog log, NotificationsMetrics metrics, TimeProvider time, ILogger<WebhookQueue> logger, int capacity = Capacity)
    {
        _channel = Channel.CreateBounded<WebhookDelivery>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _log = log;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public ChannelReader<WebhookDelivery> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="notification"/> for <paramref name="hook"/>; returns its delivery record (<c>pending</c> or <c>dropped</c>).</summary>
    public DeliveryRecord Enqueue(NotificationDefinition hook, NotificationEvent notification)
    {
        var now = _time.GetUtcNow();
        var id = "dlv_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var record = new DeliveryRecord(id, hook.Name, notification.Event, notification.Id, DeliveryStatus.Pending, 0, null, null, now, null, null);
        _log.Add(record);
        if (_channel.Writer.TryWrite(new WebhookDelivery(id, hook, notification, now)))
        {
            return record;
        }

        var dropped = record with { Status = DeliveryStatus.Dropped, Error = "queue_full", FinishedAt = now };
        _log.Update(dropped);
        _metrics.Dropped(hook.Name);
        NotificationsLog.Dropped(_logger, notification.Event, notification.Id, hook.Name);
        return dropped;
    }

    /// <summary>Ends the queue (the delivery service stops reading once the rest is taken).</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
