using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Outbound;

/// <summary>Registers the outbound HTTP stack (<see cref="IOutboundClients"/>) as a singleton built from the server options.</summary>
internal static class OutboundServiceCollectionExtensions
{
    /// <param name="wrapUpstream">Handlers the upstream invoker runs above the pooled handler, given the service provider.</param>
    public static IServiceCollection AddAgentVaultOutbound(this IServiceCollection services, ServerOptions options,
        Func<IServiceProvider, HttpMessageHandler, HttpMessageHandler>? wrapUpstream = null)
    {
        services.TryAddSingleton<IOutboundClients>(sp => new OutboundClients(options, sp.GetRequiredService<ILoggerFactory>(),
            wrapUpstream is null ? null : inner => wrapUpstream(sp, inner)));
        return services;
    }
}
