using AgentVault.Broker.Server;

namespace AgentVault.Broker.Proposals;

internal static class ProposalsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultProposals(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.AddSingleton<ProposalService>();
        return services;
    }
}
