using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// What an agent is told when a credential cannot be resolved or applied (502 <c>credential_unavailable</c>): the service, the
/// credential key and the store's name — never the store's address, the store's own error text or a plugin's message (a token
/// endpoint's URL or answer). Those go to the server log, and <c>vault credential check</c> shows the store's error to the admin.
/// </summary>
internal static class CredentialFailureDetail
{
    public static string For(ServiceRoute route, AuthSchemeException exception)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(exception);
        var prefix = $"Service '{route.Name}' of vault '{route.Vault}': ";
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is CredentialUnavailableException unavailable)
            {
                return prefix + (unavailable.Store is { } store
                    ? $"credential '{unavailable.Key}' (store '{store}') is unavailable."
                    : $"credential '{unavailable.Key}' is unavailable.");
            }
        }

        return prefix + (exception.CredentialKey is { } key
            ? $"credential '{key}' could not be obtained or applied; the server log has the reason."
            : "the credential could not be obtained or applied; the server log has the reason.");
    }
}
