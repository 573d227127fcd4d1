using System.Diagnostics.Metrics;
using AgentVault.Broker.Access;
using AgentVault.Broker.Audit;
using Microsoft.Extensions.Hosting;

namespace AgentVault.Broker.Sinks;

/// <summary>
/// Feeds every <see cref="AuditSink"/>: request-log records from the live feed (as the <c>GET /v1/logs</c> stream gets them,
/// once stored) and audit-trail entries from <see cref="AuditTrail.Recorded"/>. Handing a record over is a non-blocking
/// channel write per sink, so a slow or unreachable sink never slows the proxy or a management call. Publishes
/// <c>agentvault.audit_sink.dropped</c> (per sink) on the <c>AgentVault.Audit</c> meter.
/// </summary>
internal sealed class AuditSinkDispatcher : BackgroundService
{
    private static readonly TimeSpan DrainAtShutdown = TimeSpan.FromSeconds(3);

    private readonly IReadOnlyList<AuditSink> _sinks;
    private readonly IRequestLogFeed _feed;
    private readonly AuditTrail _trail;

    public AuditSinkDispatcher(IReadOnlyList<AuditSink> sinks, IRequestLogFeed feed, AuditTrail trail, AuditMetrics metrics)
    {
        _sinks = sinks;
        _feed = feed;
        _trail = trail;
        metrics.Meter.CreateObservableCounter(
            "agentvault.audit_sink.dropped",
            () => _sinks.Select(s => new Measurement<long>(s.Dropped, new KeyValuePair<string, object?>("sink", s.Name))),
            description: "Records an audit sink dropped because its queue was full (destination slow or unreachable).");
        metrics.Meter.CreateObservableGauge(
            "agentvault.audit_sink.queued",
            () => _sinks.Select(s => new Measurement<int>(s.Queued, new KeyValuePair<string, object?>("sink", s.Name))),
            description: "Records waiting to be delivered to an audit sink.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var drain = new CancellationTokenSource();
        var pumps = _sinks.Select(s => Task.Run(() => s.RunAsync(drain.Token), CancellationToken.None)).ToList();
        _trail.Recorded += OnAudit;
        try
        {
            await foreach (var record in _feed.SubscribeAsync(stoppingToken))
            {
                var item = SinkRecord.Request(record);
                foreach (var sink in _sinks)
                {
                    sink.Offer(item);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: deliver what is queued, within a bound.
        }
        finally
        {
            _trail.Recorded -= OnAudit;
            foreach (var sink in _sinks)
            {
                sink.Complete();
            }

            drain.CancelAfter(DrainAtShutdown);
            await Task.WhenAll(pumps);
            foreach (var sink in _sinks)
            {
                await sink.DisposeAsync();
            }
        }
    }

    private void OnAudit(Model.AuditEntry entry)
    {
        var item = SinkRecord.Audit(entry);
        foreach (var sink in _sinks)
        {
            sink.Offer(item);
        }
    }
}
