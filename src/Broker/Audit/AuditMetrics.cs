using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Audit;

/// <summary>
/// Request-log instruments on the meter <c>AgentVault.Audit</c> (exported at <c>/metrics</c>): records written, dropped, queued,
/// and held while the database is unavailable; failed write attempts.
/// </summary>
internal sealed class AuditMetrics : IDisposable
{
    public const string MeterName = "AgentVault.Audit";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _writeFailures;
    private int _held;

    public AuditMetrics(RequestLogQueue queue, RequestLogFeed feed, IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _written = _meter.CreateCounter<long>("agentvault.request_log.written", description: "Request-log records persisted to the database.");
        _meter.CreateObservableCounter("agentvault.request_log.dropped", () => queue.Dropped, description: "Request-log records dropped because the write queue was full or the database refused them.");
        _meter.CreateObservableCounter("agentvault.request_log.feed_dropped", () => feed.Dropped, description: "Live-feed records a slow subscriber did not receive.");
        _meter.CreateObservableGauge("agentvault.request_log.queued", () => queue.Reader.Count, description: "Request-log records waiting to be written.");
        _writeFailures = _meter.CreateCounter<long>(
            "agentvault.request_log.write_failures",
            description: "Failed attempts to write a batch of request-log records; reason unavailable (held and retried) or refused (dropped).");
        _meter.CreateObservableGauge(
            "agentvault.request_log.held",
            () => Volatile.Read(ref _held),
            description: "Request-log records taken from the queue whose write is being retried because the database is unavailable.");
    }

    public Meter Meter => _meter;

    public void Written(int count) => _written.Add(count);

    /// <summary>Counts one failed attempt to write a batch: <paramref name="unavailable"/> when it will be retried, else refused.</summary>
    public void WriteFailed(bool unavailable) => _writeFailures.Add(1, new KeyValuePair<string, object?>("reason", unavailable ? "unavailable" : "refused"));

    /// <summary>The number of records in the batch being retried (0 once it is written or dropped).</summary>
    public void Holding(int count) => Volatile.Write(ref _held, count);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
