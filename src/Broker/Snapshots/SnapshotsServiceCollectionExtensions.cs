using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Snapshots;

/// <summary>Registers the snapshot publisher, the one subscriber to configuration changes, and what reads through it.</summary>
internal static class SnapshotsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSnapshots(this IServiceCollection services)
    {
        services.TryAddSingleton<SnapshotPublisher>();
        services.TryAddSingleton<ICredentialBindingsSource>(sp => sp.GetRequiredService<SnapshotPublisher>());
        services.AddSingleton<IStartupTask, SnapshotStartupTask>();
        return services;
    }
}
