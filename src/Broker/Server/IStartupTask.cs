namespace AgentVault.Broker.Server;

/// <summary>
/// Work that must finish before the listeners open, run in registration order after the core start-up
/// (storage migrated, data key unlocked, CA loaded, admin token ready, configuration state loaded).
/// Throw <see cref="BrokerStartupException"/> for a failure the operator can fix.
/// </summary>
public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
