using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Security;

/// <summary>Registers the services of the Security feature.</summary>
internal static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSecurity(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
