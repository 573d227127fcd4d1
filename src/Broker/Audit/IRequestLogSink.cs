using AgentVault.Broker.Model;

namespace AgentVault.Broker.Audit;

/// <summary>Accepts request-log records from the data path without blocking; a background writer persists them in batches.</summary>
public interface IRequestLogSink
{
    /// <summary>Queues a record; never blocks and never throws (drops and counts when the queue is full).</summary>
    void Write(RequestLogRecord record);
}
