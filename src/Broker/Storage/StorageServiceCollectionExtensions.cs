using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Storage;

/// <summary>Registers the services of the Storage feature.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultStorage(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
