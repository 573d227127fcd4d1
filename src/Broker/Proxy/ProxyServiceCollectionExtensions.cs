using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Proxy;

/// <summary>Registers the services of the Proxy feature.</summary>
internal static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultProxy(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
