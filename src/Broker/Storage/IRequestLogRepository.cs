using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>Persists request-log records in batches and trims to the retention limit.</summary>
public interface IRequestLogRepository
{
    Task AppendAsync(IReadOnlyList<RequestLogRecord> records, CancellationToken cancellationToken);

    /// <summary>Newest records last; <paramref name="vault"/> filters when given.</summary>
    Task<IReadOnlyList<RequestLogRecord>> QueryAsync(string? vault, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the oldest records beyond <paramref name="keep"/>.</summary>
    Task TrimAsync(int keep, CancellationToken cancellationToken);
}
