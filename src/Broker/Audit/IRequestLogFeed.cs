using AgentVault.Broker.Model;

namespace AgentVault.Broker.Audit;

/// <summary>Live feed of request-log records for <c>GET /v1/logs</c> as <c>text/event-stream</c>.</summary>
public interface IRequestLogFeed
{
    /// <summary>Yields records written after the call until cancelled.</summary>
    IAsyncEnumerable<RequestLogRecord> SubscribeAsync(CancellationToken cancellationToken);
}
