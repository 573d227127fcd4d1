using AgentVault.Broker.Server;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Loads the plugins before the listeners open, so their problems are logged at start-up. The configured stores are built
/// with the first runtime snapshot (the snapshot publisher's start-up task).
/// </summary>
internal sealed class SecretsStartupTask : IStartupTask
{
    private readonly IPluginCatalog _catalog;

    public SecretsStartupTask(IPluginCatalog catalog)
    {
        _catalog = catalog;
    }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        _ = _catalog.Plugins.Count;
        return Task.CompletedTask;
    }
}
