using AgentVault.Broker.Server;

namespace AgentVault.Broker.Approvals;

internal static class ApprovalsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultApprovals(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
