using System.Threading.Channels;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Request-log repository and live feed in one: <see cref="Publish"/> stores a record and sends it to subscribers.</summary>
internal sealed class FakeRequestLog : IRequestLogRepository, IRequestLogFeed
{
    private readonly List<RequestLogRecord> _records = [];
    private readonly List<Channel<RequestLogRecord>> _subscribers = [];
    private readonly Lock _lock = new();

    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(RequestLogRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(record);
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            Publish(record);
        }

        return Task.CompletedTask;
    }

    /// <summary>When set, <see cref="QueryAsync"/> throws it (a database that is down, or another failure).</summary>
    public Exception? QueryFailure { get; set; }

    public Task<IReadOnlyList<RequestLogRecord>> QueryAsync(string? vault, int limit, CancellationToken cancellationToken)
    {
        if (QueryFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<RequestLogRecord>>(failure);
        }

        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RequestLogRecord>>([.. _records.Where(r => vault is null || r.Vault == vault).TakeLast(limit)]);
        }
    }

    public Task TrimAsync(int keep, CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<RequestLogRecord> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<RequestLogRecord>();
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return record;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
