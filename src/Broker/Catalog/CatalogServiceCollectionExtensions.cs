using AgentVault.Broker.Server;

namespace AgentVault.Broker.Catalog;

internal static class CatalogServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultCatalog(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
