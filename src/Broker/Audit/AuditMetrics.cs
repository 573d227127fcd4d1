using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Audit;

/// <summary>Request-log instruments on the meter <c>AgentVault.Audit</c> (exported at <c>/metrics</c>): records written, dropped, queued.</summary>
internal sealed class AuditMetrics : IDisposable
{
    public const string MeterName = "AgentVault.Audit";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _written;

    public AuditMetrics(RequestLogQueue queue, RequestLogFeed feed, IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _written = _meter.CreateCounter<long>("agentvault.request_log.written", description: "Request-log records persisted to the database.");
        _meter.CreateObservableCounter("agentvault.request_log.dropped", () => queue.Dropped, description: "Request-log records dropped because the write queue was full or the database refused them.");
        _meter.CreateObservableCounter("agentvault.request_log.feed_dropped", () => feed.Dropped, description: "Live-feed records a slow subscriber did not receive.");
        _meter.CreateObservableGauge("agentvault.request_log.queued", () => queue.Reader.Count, description: "Request-log records waiting to be written.");
    }

    public Meter Meter => _meter;

    public void Written(int count) => _written.Add(count);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
