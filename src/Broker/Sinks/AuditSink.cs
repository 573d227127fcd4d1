using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Sinks;

/// <summary>
/// One <c>--audit-sink</c>: a bounded channel that <see cref="Offer"/> fills without ever waiting (a full channel drops the
/// new record and counts it; a warning at most once a minute) and a task that drains it in batches into the
/// <see cref="ISinkWriter"/>, retrying a failed batch with a back-off of 1 s doubling to 60 s.
/// </summary>
internal sealed class AuditSink : IAsyncDisposable
{
    public const int DefaultCapacity = 10_000;
    private const int BatchSize = 256;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly Channel<SinkRecord> _channel;
    private readonly ISinkWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _dropped;
    private long _lastWarningTicks = long.MinValue;

    public AuditSink(string name, ISinkWriter writer, TimeProvider time, ILogger logger, int capacity = DefaultCapacity)
    {
        Name = name;
        _writer = writer;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<SinkRecord>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => OnDropped());
    }

    public string Name { get; }

    /// <summary>Records this sink did not take because its channel was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records waiting in the channel.</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Queues a record; never blocks, never throws.</summary>
    public void Offer(SinkRecord record) => _channel.Writer.TryWrite(record);

    /// <summary>No more records will be offered; <see cref="RunAsync"/> ends once the channel is drained.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Drains the channel into the writer until it is completed and empty, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        SinksLog.Started(_logger, Name);
        var batch = new List<SinkRecord>(BatchSize);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < BatchSize && _channel.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                await DeliverAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var pending = batch.Count + _channel.Reader.Count;
            if (pending > 0)
            {
                SinksLog.Abandoned(_logger, Name, pending);
            }
        }
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task DeliverAsync(List<SinkRecord> batch, CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                await _writer.WriteAsync(batch, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SinksLog.WriteFailed(_logger, Name, ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "), delay);
                await Task.Delay(delay, _time, cancellationToken);
                delay = delay * 2 > LastRetry ? LastRetry : delay * 2;
            }
        }
    }

    private void OnDropped()
    {
        var dropped = Interlocked.Increment(ref _dropped);
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if ((last == long.MinValue || now - last >= WarnEvery.Ticks) && Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            SinksLog.Dropping(_logger, Name, dropped);
        }
    }
}
