using AgentVault.Broker.Approvals;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>Registers the services of the Proxy feature (ingress, agent auth, routing, forwarding) and the built-in schemes and outbound stack it uses.</summary>
internal static class ProxyServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultProxy(this IServiceCollection services, ServerOptions options)
    {
        services.AddAgentVaultAuth();
        // The retry after an upstream 401 runs under YARP's invoker, above the pooled handler.
        services.AddAgentVaultOutbound(options, (sp, inner) =>
            new UnauthorizedRetryHandler(inner, sp.GetRequiredService<ILoggerFactory>().CreateLogger<UnauthorizedRetryHandler>()));
        services.AddAgentVaultPolicy(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpForwarder();

        // YARP logs the destination URI at Information; after a query or path substitution that URI holds a secret.
        services.PostConfigure<LoggerFilterOptions>(ProxyLogSafety.Clamp);
        services.TryAddSingleton<AgentAuthenticator>();
        services.AddAgentVaultSnapshots();
        services.TryAddSingleton<IAuthSchemeNotices, AuthSchemeNotices>();
        services.TryAddSingleton<LeafCertificateCache>();
        services.TryAddSingleton<UnauthenticatedRefusals>();
        services.TryAddSingleton<ProxyRequestMetrics>();
        services.TryAddSingleton<TunnelRateGate>();
        services.TryAddSingleton<TunnelWriteWatchdog>();
        services.TryAddSingleton<ConnectTunnelMiddleware>();
        services.TryAddSingleton<ProxyTransformer>();
        services.TryAddSingleton<ProxyForwarder>();
        services.AddAgentVaultApprovalGate();
        services.TryAddSingleton<ProxyRequestHandler>();
        return services;
    }
}
