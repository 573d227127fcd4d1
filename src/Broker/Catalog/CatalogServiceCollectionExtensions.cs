using AgentVault.Broker.Server;

namespace AgentVault.Broker.Catalog;

internal static class CatalogServiceCollectionExtensions
{
    /// <summary>Registers the embedded <see cref="ServiceCatalog"/> (read on first use) for the API and other features.</summary>
    public static IServiceCollection AddAgentVaultCatalog(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.AddSingleton(_ => ServiceCatalog.Default);
        return services;
    }
}
