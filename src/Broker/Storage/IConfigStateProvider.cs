using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>Holds the current <see cref="ConfigState"/> in memory; readers on the hot path only read <see cref="Current"/>.</summary>
public interface IConfigStateProvider
{
    /// <summary>The latest snapshot (a volatile read; never null).</summary>
    ConfigState Current { get; }

    /// <summary>Raised after <see cref="Current"/> was replaced; its one handler, the snapshot publisher, rebuilds everything derived from it (runtime snapshot, store registry).</summary>
    event Action<ConfigState>? Changed;

    /// <summary>Reloads from the metadata store and publishes a new snapshot; call after every write.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}
