using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace AgentVault.Broker.Management;

/// <summary>Registers the services of the Management feature.</summary>
internal static class ManagementServiceCollectionExtensions
{
    /// <summary>Every meter whose name starts with this is exported at <c>GET /metrics</c>.</summary>
    public const string MeterPrefix = "AgentVault";

    /// <summary>.NET's own meter: memory, GC, thread pool, exceptions; what an operator watches for leaks and stalls.</summary>
    private const string RuntimeMeter = "System.Runtime";

    public static IServiceCollection AddAgentVaultManagement(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.AddSingleton<ConfigValidator>();
        services.TryAddSingleton<SnapshotCandidates>();
        services.AddSingleton<ConfigWriter>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<ProxyUrlResolver>();
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(MeterPrefix + "*", RuntimeMeter).AddPrometheusExporter());
        return services;
    }
}
