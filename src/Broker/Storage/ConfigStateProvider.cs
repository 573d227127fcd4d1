using AgentVault.Broker.Model;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Loads configuration and tokens in one read transaction into an immutable <see cref="ConfigState"/> and swaps it in.
/// Reloads are serialised, so snapshots are published in version order.
/// </summary>
internal sealed class ConfigStateProvider(IMetadataDatabase database, ILogger<ConfigStateProvider> logger) : IConfigStateProvider, IDisposable
{
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private ConfigState _current = ConfigState.Empty;

    public ConfigState Current => Volatile.Read(ref _current);

    public event Action<ConfigState>? Changed;

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var state = await database.LoadStateAsync(cancellationToken);
            Volatile.Write(ref _current, state);
            StorageLog.ConfigReloaded(logger, state.Version);
            Changed?.Invoke(state);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>Reloads only when the stored change version differs from the current snapshot (used by the poller).</summary>
    public async Task ReloadIfChangedAsync(CancellationToken cancellationToken)
    {
        if (await database.GetVersionAsync(cancellationToken) == Current.Version)
        {
            return;
        }

        await ReloadAsync(cancellationToken);
    }

    public void Dispose() => _reloadLock.Dispose();
}
