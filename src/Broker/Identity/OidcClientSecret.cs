using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Identity;

/// <summary>
/// The client secret, resolved from its reference (<c>env:NAME</c>, <c>file:/path</c> or <c>store:path#field</c>) each time it
/// is needed, so a rotated secret is picked up; null for a public client. It is only ever put in a request to the issuer's
/// token endpoint.
/// </summary>
internal sealed class OidcClientSecret(ServerOptions options, IServiceProvider services)
{
    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (options.OidcClientSecret is not { } reference)
        {
            return null;
        }

        var resolver = new BootstrapSecretResolver("oidc", () => services.GetService(typeof(IReferenceResolver)) as IReferenceResolver);
        return await resolver.ResolveAsync(reference, cancellationToken);
    }
}
