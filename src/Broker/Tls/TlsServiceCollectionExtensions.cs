using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Tls;

/// <summary>Registers the services of the Tls feature.</summary>
internal static class TlsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultTls(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CertificateAuthority>();
        services.AddSingleton<ICertificateAuthority>(sp => sp.GetRequiredService<CertificateAuthority>());
        return services;
    }
}
