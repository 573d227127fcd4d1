using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Forwarding;

/// <summary>Registers the outbound HTTP stack (<see cref="IOutboundClients"/>) as a singleton built from the server options.</summary>
internal static class OutboundServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultOutbound(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton<IOutboundClients>(sp => new OutboundClients(options, sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
