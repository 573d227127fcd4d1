using AgentVault.Broker.Notifications;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Approvals;

internal static class ApprovalsServiceCollectionExtensions
{
    /// <summary>Per-request approval for the server: the registry and the proxy's gate, and the denial of held requests on shutdown.</summary>
    public static IServiceCollection AddAgentVaultApprovals(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.AddAgentVaultApprovalGate();
        services.AddHostedService<ApprovalShutdown>();
        return services;
    }

    /// <summary>What the proxy needs to hold requests (also for a proxy hosted without the rest of the server, as in tests).</summary>
    public static IServiceCollection AddAgentVaultApprovalGate(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Resolved when first used, so whichever publisher the notifications feature registers is the one used.
        services.TryAddSingleton(sp => new ApprovalRegistry(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<INotificationPublisher>() ?? NullNotificationPublisher.Instance,
            sp.GetRequiredService<ILogger<ApprovalRegistry>>()));
        services.TryAddSingleton<ApprovalGate>();
        return services;
    }
}
