using AgentVault.Abstractions.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Auth;

/// <summary>Registers the built-in auth schemes (SPEC §4) as <see cref="IAuthSchemeFactory"/> services.</summary>
internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultAuth(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthSchemeFactory, BearerAuthSchemeFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthSchemeFactory, BasicAuthSchemeFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthSchemeFactory, ApiKeyAuthSchemeFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthSchemeFactory, CustomAuthSchemeFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthSchemeFactory, PassthroughAuthSchemeFactory>());
        return services;
    }
}
