using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Tls;

/// <summary>Registers the services of the Tls feature.</summary>
internal static class TlsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultTls(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
