using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Storage;

/// <summary>Polls the change version so several instances sharing one database converge on the same configuration.</summary>
internal sealed class ConfigChangePoller(ConfigStateProvider provider, TimeProvider time, ILogger<ConfigChangePoller> logger) : BackgroundService
{
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await provider.ReloadIfChangedAsync(stoppingToken);
            }
            catch (DbException ex)
            {
                StorageLog.ChangePollFailed(logger, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failing Changed handler must not stop the poller; the next change retries the rebuild.
                StorageLog.ChangedHandlerFailed(logger, provider.Current.Version, ex);
            }
        }
    }
}
