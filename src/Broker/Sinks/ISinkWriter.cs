namespace AgentVault.Broker.Sinks;

/// <summary>Delivers batches of records to one destination; a failure throws and the batch is retried after a back-off.</summary>
internal interface ISinkWriter : IAsyncDisposable
{
    Task WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken);
}
