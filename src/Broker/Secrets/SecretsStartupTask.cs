using AgentVault.Broker.Hosting;

namespace AgentVault.Broker.Secrets;

/// <summary>Loads the plugins and builds the configured stores before the listeners open, so their problems are logged at start-up.</summary>
internal sealed class SecretsStartupTask : IStartupTask
{
    private readonly IPluginCatalog _catalog;
    private readonly StoreRegistry _registry;

    public SecretsStartupTask(IPluginCatalog catalog, StoreRegistry registry)
    {
        _catalog = catalog;
        _registry = registry;
    }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        _ = _catalog.Plugins.Count;
        _ = _registry.Find(string.Empty, out _);
        return Task.CompletedTask;
    }
}
