using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>Registers the services of the Secrets feature.</summary>
internal static class SecretsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSecrets(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<SecretCacheOptions>();
        services.AddSingleton(sp => new PluginCatalog(
            sp.GetRequiredService<ServerOptions>(),
            sp.GetServices<Abstractions.Auth.IAuthSchemeFactory>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IPluginCatalog>(sp => sp.GetRequiredService<PluginCatalog>());
        services.AddSingleton<StoreRegistry>();
        services.AddSingleton<IStoreRegistry>(sp => sp.GetRequiredService<StoreRegistry>());
        services.AddSingleton(sp => new SecretsMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<SecretCache>();
        services.AddSingleton<IStoreStatistics>(sp => sp.GetRequiredService<SecretCache>());
        services.AddSingleton<CredentialResolver>();
        services.AddSingleton<ICredentialResolver>(sp => sp.GetRequiredService<CredentialResolver>());
        services.AddSingleton<IReferenceResolver>(sp => sp.GetRequiredService<CredentialResolver>());
        services.AddSingleton<ICredentialChecker, CredentialChecker>();
        services.AddSingleton<IStartupTask, DevStoreInitializer>();
        services.AddSingleton<IStartupTask, SecretsStartupTask>();
        services.AddHostedService<SecretsHostedService>();
        return services;
    }
}
