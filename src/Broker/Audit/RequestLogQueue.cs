using System.Threading.Channels;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Audit;

/// <summary>The data path's side of the request log: a bounded queue that never blocks; when it is full, records are dropped and counted.</summary>
internal sealed class RequestLogQueue : IRequestLogSink
{
    public const int DefaultCapacity = 10_000;

    private readonly Channel<RequestLogRecord> _channel;
    private long _dropped;

    public RequestLogQueue(int capacity = DefaultCapacity)
    {
        Capacity = capacity;
        _channel = Channel.CreateBounded<RequestLogRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public int Capacity { get; }

    /// <summary>Records dropped: the queue was full (the writer could not keep up, or the database was down that long), or the database refused them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<RequestLogRecord> Reader => _channel.Reader;

    /// <summary>Counts records the writer took from the queue but could not persist.</summary>
    public void CountDropped(int count) => Interlocked.Add(ref _dropped, count);

    public void Write(RequestLogRecord record)
    {
        if (record is null || !_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
