using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>Runs the cache's maintenance loop (lease renewal, idle eviction) and revokes outstanding leases when the broker stops.</summary>
internal sealed class SecretsHostedService : IHostedService, IDisposable
{
    private readonly SecretCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public SecretsHostedService(SecretCache cache, TimeProvider time, ILogger<SecretsHostedService> logger)
    {
        _cache = cache;
        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RunMaintenanceAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _cache.Leases.RevokeAllAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>One maintenance pass: renew due leases of values in use, drop idle entries and revoke their leases.</summary>
    internal async Task MaintainOnceAsync(CancellationToken cancellationToken)
    {
        await _cache.Leases.RenewDueAsync(_cache.Entries, cancellationToken).ConfigureAwait(false);
        foreach (var lease in _cache.EvictIdle(_time.GetUtcNow()))
        {
            await _cache.Leases.RevokeAsync(lease, untrack: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_cache.Options.MaintenanceInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await MaintainOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SecretsLog.MaintenanceFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
