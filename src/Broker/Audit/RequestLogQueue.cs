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
        _channel = Channel.CreateBounded<RequestLogRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Records dropped because the queue was full (the writer could not keep up).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<RequestLogRecord> Reader => _channel.Reader;

    public void Write(RequestLogRecord record)
    {
        if (record is null || !_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}
