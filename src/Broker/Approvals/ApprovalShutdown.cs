namespace AgentVault.Broker.Approvals;

/// <summary>
/// Held requests live in this process only: when the broker stops, each is denied (403 <c>approval_denied</c>, decided by
/// <c>broker</c>) before the listeners close, so an agent learns the outcome instead of a dropped connection where possible.
/// </summary>
internal sealed class ApprovalShutdown(ApprovalRegistry registry, IHostApplicationLifetime lifetime, ILogger<ApprovalShutdown> logger) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(DenyAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Also here, for a stop that did not go through ApplicationStopping.
        DenyAll();
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private void DenyAll()
    {
        var denied = registry.DenyAll(ApprovalActors.Broker);
        if (denied > 0)
        {
            ApprovalsLog.HeldRequestsDenied(logger, denied);
        }
    }
}
