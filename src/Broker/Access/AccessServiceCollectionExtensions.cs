using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Access;

/// <summary>Registers the services of the Access feature: people's sessions and the audit trail.</summary>
public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultAccess(this IServiceCollection services)
    {
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AuditTrail>();
        return services;
    }
}
