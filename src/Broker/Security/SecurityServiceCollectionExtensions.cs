using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Security;

/// <summary>Registers the services of the Security feature.</summary>
internal static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSecurity(this IServiceCollection services, ServerOptions options)
    {
        // ServerHost registers the options with the master password first; this default (no password) serves tests and tools.
        services.TryAddSingleton(_ => new MasterKeyOptions { DataDir = options.DataDir, Dev = options.Dev });
        services.TryAddSingleton(ServerConsole.System);
        services.AddSingleton<DataKeyRing>();
        services.AddSingleton<IAtRestProtector, AtRestProtector>();
        services.AddSingleton<MasterKeyUnlocker>();
        services.AddSingleton<AdminTokenStore>();
        services.AddSingleton<IAdminTokenVerifier>(sp => sp.GetRequiredService<AdminTokenStore>());
        services.AddSingleton<IAdminTokenRotator>(sp => sp.GetRequiredService<AdminTokenStore>());
        return services;
    }
}
