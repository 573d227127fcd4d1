using System.Data;
using AgentVault.Broker.Model;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Loads configuration and tokens in one read transaction into an immutable <see cref="ConfigState"/> and swaps it in.
/// Reloads are serialised, so snapshots are published in version order.
/// </summary>
internal sealed class ConfigStateProvider(SqliteDatabase database, ILogger<ConfigStateProvider> logger) : IConfigStateProvider, IDisposable
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
            var state = await LoadAsync(cancellationToken);
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
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (await SqliteConfigRepository.GetVersionAsync(connection, null, cancellationToken) == Current.Version)
            {
                return;
            }
        }

        await ReloadAsync(cancellationToken);
    }

    public void Dispose() => _reloadLock.Dispose();

    private async Task<ConfigState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // A read transaction gives one consistent snapshot of version, configuration and tokens (WAL readers see a fixed point).
        await using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        var version = await SqliteConfigRepository.GetVersionAsync(connection, transaction, cancellationToken);
        var config = await SqliteConfigRepository.LoadAsync(connection, transaction, cancellationToken);
        var tokens = await SqliteTokenRepository.ListAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConfigState(version, config, tokens);
    }
}
