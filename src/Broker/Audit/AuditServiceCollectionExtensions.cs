using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Audit;

/// <summary>Registers the services of the Audit feature.</summary>
internal static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultAudit(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RequestLogQueue>();
        services.AddSingleton<IRequestLogSink>(sp => sp.GetRequiredService<RequestLogQueue>());
        services.AddSingleton<RequestLogFeed>();
        services.AddSingleton<IRequestLogFeed>(sp => sp.GetRequiredService<RequestLogFeed>());
        services.AddSingleton<AuditMetrics>();
        services.AddHostedService<RequestLogWriter>();
        return services;
    }
}
