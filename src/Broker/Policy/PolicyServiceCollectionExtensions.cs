using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Policy;

/// <summary>Registers the egress-policy singletons: request limits and the proxy-auth throttle.</summary>
internal static class PolicyServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultPolicy(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton(_ => new RequestLimiter(options));
        services.TryAddSingleton(sp => new ProxyAuthThrottle(
            new RateLimitSpec(10, TimeSpan.FromMinutes(1)), new RateLimitSpec(30, TimeSpan.FromMinutes(1)),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
