using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Audit;

/// <summary>Registers the services of the Audit feature.</summary>
internal static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultAudit(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
