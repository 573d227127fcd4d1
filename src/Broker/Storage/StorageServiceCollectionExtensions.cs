using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Storage;

/// <summary>Registers the services of the Storage feature: the SQLite or PostgreSQL repositories, per <c>--database-url</c>.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultStorage(this IServiceCollection services, ServerOptions options)
    {
        var location = DatabaseLocation.Resolve(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(location);
        if (location.Postgres is not null)
        {
            services.AddSingleton<PostgresDatabase>();
            services.AddSingleton<IMetadataDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IConfigRepository, PostgresConfigRepository>();
            services.AddSingleton<ITokenRepository, PostgresTokenRepository>();
            services.AddSingleton<IProposalRepository, PostgresProposalRepository>();
            services.AddSingleton<IBlobRepository, PostgresBlobRepository>();
            services.AddSingleton<IRequestLogRepository, PostgresRequestLogRepository>();
            services.AddSingleton<IStatementRunner, PostgresStatementRunner>();
            services.AddHostedService<PostgresChangeListener>();
        }
        else
        {
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<IMetadataDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<IConfigRepository, SqliteConfigRepository>();
            services.AddSingleton<ITokenRepository, SqliteTokenRepository>();
            services.AddSingleton<IProposalRepository, SqliteProposalRepository>();
            services.AddSingleton<IBlobRepository, SqliteBlobRepository>();
            services.AddSingleton<IRequestLogRepository, SqliteRequestLogRepository>();
            services.AddSingleton<IStatementRunner, SqliteStatementRunner>();
        }

        services.AddSingleton<ISessionRepository, SessionRepository>();
        services.AddSingleton<IAuditRepository, AuditRepository>();

        services.AddSingleton<ConfigStateProvider>();
        services.AddSingleton<IConfigStateProvider>(sp => sp.GetRequiredService<ConfigStateProvider>());
        services.AddHostedService<ConfigChangePoller>();
        return services;
    }
}
