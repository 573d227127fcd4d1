using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>
/// LISTENs on <see cref="PostgresDatabase.ChangeChannel"/> (notified by every write that bumps the change version) and reloads
/// at once, so instances sharing the database converge without waiting for the next poll. <see cref="ConfigChangePoller"/>
/// keeps running as the fallback: a lost connection only costs latency.
/// </summary>
internal sealed class PostgresChangeListener(PostgresDatabase database, ConfigStateProvider provider, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public static TimeSpan RetryDelay { get; } = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever broke the connection (server restart, network), never let it stop the host: log, wait, listen again.
                StorageLog.ChangeListenFailed(logger, ex);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.OpenAsync(stoppingToken);
        var notified = 0;
        connection.Notification += (_, _) => Interlocked.Exchange(ref notified, 1);
        await PostgresDatabase.ExecuteAsync(connection, null, $"LISTEN {PostgresDatabase.ChangeChannel};", stoppingToken);

        // A change made while this instance was not listening is picked up now rather than at the next poll.
        await ReloadAsync(stoppingToken);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
            if (Interlocked.Exchange(ref notified, 0) == 1)
            {
                await ReloadAsync(stoppingToken);
            }
        }
    }

    private async Task ReloadAsync(CancellationToken stoppingToken)
    {
        try
        {
            await provider.ReloadIfChangedAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DbException or IOException or TimeoutException))
        {
            // A failing Changed handler must not stop listening; the next change retries the rebuild.
            StorageLog.ChangedHandlerFailed(logger, provider.Current.Version, ex);
        }
    }
}
