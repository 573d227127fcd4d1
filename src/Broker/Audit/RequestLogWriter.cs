using System.Data.Common;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Audit;

/// <summary>
/// Drains the request-log queue in batches (up to <see cref="MaxBatch"/> records, gathered for at most <see cref="BatchWindow"/>),
/// persists them, publishes them to live subscribers and trims the table to <c>--log-retention</c> rows.
/// While the database is unavailable the batch is held and retried with backoff (up to <see cref="MaxRetryDelay"/>); new records
/// wait in the bounded queue, and what does not fit is dropped and counted. A batch the database refuses is dropped and counted.
/// </summary>
internal sealed class RequestLogWriter(
    RequestLogQueue queue,
    RequestLogFeed feed,
    IRequestLogRepository repository,
    AuditMetrics metrics,
    ServerOptions options,
    TimeProvider time,
    ILogger<RequestLogWriter> logger) : BackgroundService
{
    public const int MaxBatch = 500;
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(5);

    private readonly List<RequestLogRecord> _batch = new(MaxBatch);
    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;
    private long _reportedDrops;
    private DateTimeOffset? _unavailableSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(_batch, stoppingToken);
                await FlushAsync(_batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync persists what is still queued.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // ExecuteAsync has finished (or never ran): persist the partial batch and whatever is still queued.
        try
        {
            while (queue.Reader.TryRead(out var record))
            {
                _batch.Add(record);
                if (_batch.Count >= MaxBatch)
                {
                    await FlushAsync(_batch, cancellationToken);
                }
            }

            await FlushAsync(_batch, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown timeout ended the retries (the database is still down): what is left is dropped, and counted.
            var left = _batch.Count;
            _batch.Clear();
            metrics.Holding(0);
            while (queue.Reader.TryRead(out _))
            {
                left++;
            }

            queue.CountDropped(left);
            ReportDrops();
        }
    }

    private async Task FillAsync(List<RequestLogRecord> batch, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + BatchWindow;
        while (batch.Count < MaxBatch)
        {
            if (queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                continue;
            }

            var remaining = deadline - time.GetUtcNow();
            if (batch.Count > 0 && remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Wait a little for more records so a busy proxy writes few, large transactions; an idle one writes at once.
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            try
            {
                if (!await queue.Reader.WaitToReadAsync(window.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task FlushAsync(List<RequestLogRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // A cancelled append rolls back and leaves the batch in place for the final flush; an unavailable database is retried;
        // a database error that is not about availability is reported, and the batch dropped and counted.
        await PersistAsync(batch, cancellationToken);

        foreach (var record in batch)
        {
            feed.Publish(record);
        }

        batch.Clear();
        ReportDrops();
        if (time.GetUtcNow() - _lastTrim >= TrimInterval)
        {
            try
            {
                await repository.TrimAsync(options.LogRetention, cancellationToken);
                _lastTrim = time.GetUtcNow();
            }
            catch (DbException ex)
            {
                AuditLog.TrimFailed(logger, ex);
            }
        }
    }

    private async Task PersistAsync(List<RequestLogRecord> batch, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await repository.AppendAsync(batch, cancellationToken);
                metrics.Written(batch.Count);
                metrics.Holding(0);
                if (_unavailableSince is { } since)
                {
                    var seconds = (time.GetUtcNow() - since).TotalSeconds;
                    AuditLog.DatabaseBack(logger, seconds);
                    _unavailableSince = null;
                }

                return;
            }
            catch (Exception ex) when (DatabaseErrors.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                metrics.WriteFailed(unavailable: true);
                metrics.Holding(batch.Count);
                if (_unavailableSince is null)
                {
                    _unavailableSince = time.GetUtcNow();
                    AuditLog.DatabaseUnavailable(logger, DatabaseErrors.Reason(ex), queue.Capacity, MaxRetryDelay.TotalSeconds, ex);
                }
            }
            catch (DbException ex)
            {
                metrics.WriteFailed(unavailable: false);
                metrics.Holding(0);
                AuditLog.PersistFailed(logger, batch.Count, ex);
                queue.CountDropped(batch.Count);
                return;
            }

            // Drops counted by the full queue meanwhile are reported while waiting, not only once the database is back.
            ReportDrops();
            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private void ReportDrops()
    {
        var dropped = queue.Dropped;
        if (dropped != _reportedDrops)
        {
            AuditLog.RecordsDropped(logger, dropped - _reportedDrops, dropped);
            _reportedDrops = dropped;
        }
    }
}
