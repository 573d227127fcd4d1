using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// Counters of webhook delivery on the meter <c>AgentVault.Notifications</c>, tagged with the hook's name; exported at
/// <c>/metrics</c> as <c>agentvault_notifications_dropped_total</c>, <c>…_delivered_total</c> and <c>…_failed_total</c>.
/// </summary>
internal sealed class NotificationsMetrics : IDisposable
{
    public const string MeterName = "AgentVault.Notifications";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;

    public NotificationsMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _dropped = _meter.CreateCounter<long>("agentvault.notifications.dropped", description: "Notifications not delivered because the delivery queue was full.");
        _delivered = _meter.CreateCounter<long>("agentvault.notifications.delivered", description: "Notifications a webhook accepted (2xx).");
        _failed = _meter.CreateCounter<long>("agentvault.notifications.failed", description: "Notifications given up after their last attempt.");
    }

    public void Dropped(string notification) => _dropped.Add(1, new KeyValuePair<string, object?>("notification", notification));

    public void Delivered(string notification) => _delivered.Add(1, new KeyValuePair<string, object?>("notification", notification));

    public void Failed(string notification) => _failed.Add(1, new KeyValuePair<string, object?>("notification", notification));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
