using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Management;

/// <summary>Registers the services of the Management feature.</summary>
internal static class ManagementServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultManagement(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
