using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Audit;

/// <summary>An in-memory request log whose appends throw <see cref="Failure"/> while it is set (a database that is down or refuses).</summary>
internal sealed class FlakyRequestLogRepository : IRequestLogRepository
{
    private readonly List<RequestLogRecord> _records = [];
    private readonly Lock _lock = new();
    private int _failedAppends;

    public volatile Exception? Failure;

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            Interlocked.Increment(ref _failedAppends);
            return Task.FromException(failure);
        }

        lock (_lock)
        {
            _records.AddRange(records);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RequestLogRecord>> QueryAsync(string? vault, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RequestLogRecord>>([.. _records.Where(r => vault is null || r.Vault == vault).TakeLast(limit)]);
        }
    }

    public Task TrimAsync(int keep, CancellationToken cancellationToken) => Task.CompletedTask;
}
