using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Storage;

/// <summary>Registers the services of the Storage feature.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultStorage(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => DatabaseLocation.Resolve(options));
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IConfigRepository, SqliteConfigRepository>();
        services.AddSingleton<ITokenRepository, SqliteTokenRepository>();
        services.AddSingleton<IBlobRepository, SqliteBlobRepository>();
        services.AddSingleton<IRequestLogRepository, SqliteRequestLogRepository>();
        services.AddSingleton<ConfigStateProvider>();
        services.AddSingleton<IConfigStateProvider>(sp => sp.GetRequiredService<ConfigStateProvider>());
        services.AddHostedService<ConfigChangePoller>();
        return services;
    }
}
