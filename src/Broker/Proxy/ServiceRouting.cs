using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Proxy;

/// <summary>The route step's decision: the agent's vault, the service for the destination and path, and whether it may be used.</summary>
internal static class ServiceRouting
{
    public static ProxyRefusal HostNotAllowed(string vault, ProxyDestination destination) =>
        new(ProxyError.HostNotAllowed, $"Vault '{vault}' has no service for {destination.Host} (port {destination.Port}); add one, or set the vault's unmatched policy to passthrough. An agent can propose one: POST /v1/proposals on the API.")
        {
            ProposalHint = (destination.Host, destination.Port),
        };

    /// <summary>The matched service (null under the vault's passthrough policy), or the refusal.</summary>
    public static ProxyRefusal? Route(RouteTable routes, AgentIdentity identity, ProxyDestination destination, RequestPath path, out ServiceRoute? route)
    {
        route = null;
        var vault = routes.FindVault(identity.Vault);
        if (vault is null)
        {
            return new ProxyRefusal(ProxyError.VaultNotFound, "Vault '" + identity.Vault + "' does not exist or this token may not use it.");
        }

        route = vault.Match(destination.Host, destination.Port, path);
        if (route is null)
        {
            return vault.Passthrough ? null : HostNotAllowed(identity.Vault, destination);
        }

        if (!route.Enabled)
        {
            return new ProxyRefusal(ProxyError.ServiceDisabled, $"Service '{route.Name}' of vault '{route.Vault}' is disabled.");
        }

        // Credentials travel only over TLS: refused before anything is resolved or sent (SPEC §5).
        if (!destination.Https && route.Injects && !route.AllowHttp)
        {
            return new ProxyRefusal(ProxyError.InsecureUpstream,
                $"Service '{route.Name}' of vault '{route.Vault}' injects a credential, which is sent only over TLS: use https:// (or CONNECT and TLS) for {destination.Host}.");
        }

        // The reason (a plugin's message about the operator's settings) was logged when the route table was built.
        return route.SchemeError is not null
            ? new ProxyRefusal(ProxyError.CredentialUnavailable, $"Service '{route.Name}' of vault '{route.Vault}': its auth scheme is unavailable; the server log has the reason.")
            : null;
    }
}
