using AgentVault.Broker.Auth;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Proxy;

/// <summary>Registers the services of the Proxy feature.</summary>
internal static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultProxy(this IServiceCollection services, ServerOptions options)
    {
        services.AddAgentVaultAuth();
        services.AddAgentVaultOutbound(options);
        return services;
    }
}
