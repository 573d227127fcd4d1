using System.Collections.Concurrent;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Proxy;

internal sealed class CollectingLogSink : IRequestLogSink
{
    public ConcurrentQueue<RequestLogRecord> Records { get; } = new();

    public void Write(RequestLogRecord record) => Records.Enqueue(record);
}
