using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Audit;

/// <summary>Fans request-log records out to live subscribers; each has a bounded buffer and a slow subscriber loses records rather than slowing anyone.</summary>
internal sealed class RequestLogFeed : IRequestLogFeed
{
    public const int SubscriberCapacity = 1_000;

    private readonly ConcurrentDictionary<Channel<RequestLogRecord>, byte> _subscribers = new();
    private long _dropped;

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Records a slow subscriber did not get.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(RequestLogRecord record)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            if (!subscriber.Writer.TryWrite(record))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    public async IAsyncEnumerable<RequestLogRecord> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RequestLogRecord>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _subscribers.TryAdd(channel, 0);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var record))
                {
                    yield return record;
                }
            }
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }
}
