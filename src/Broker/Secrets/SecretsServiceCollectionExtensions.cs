using AgentVault.Broker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Secrets;

/// <summary>Registers the services of the Secrets feature.</summary>
internal static class SecretsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultSecrets(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        return services;
    }
}
