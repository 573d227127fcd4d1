using AgentVault.Broker.Server;

namespace AgentVault.Broker.Snapshots;

/// <summary>Builds the first runtime snapshot, and with it the configured stores, before the listeners open, so their problems are logged at start-up.</summary>
internal sealed class SnapshotStartupTask(SnapshotPublisher publisher) : IStartupTask
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        _ = publisher.Current;
        return Task.CompletedTask;
    }
}
