using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Routing;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Applies a service's auth scheme to an upstream request (the transformer's first send and the retry after a 401 alike), and
/// turns a failure into the agent's <c>credential_unavailable</c> answer (naming key and store, never a value).
/// </summary>
internal static class SchemeApplication
{
    /// <summary>Runs the scheme; a signing scheme reads (and may replace) the body, so it gets the lent <paramref name="body"/>.</summary>
    public static async ValueTask ApplyAsync(IAuthScheme scheme, HttpRequestMessage request, ProxyRequestState state, SchemeRequestBody? body, CancellationToken cancellationToken)
    {
        var authRequest = new AuthRequest(request, state);
        try
        {
            await scheme.ApplyAsync(authRequest, cancellationToken).ConfigureAwait(false);
            if (body is not null)
            {
                await body.ReturnAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            body?.Restore();
        }

        state.AddInjectedValues(authRequest.InjectedValues);
    }

    /// <summary>The refusal for a scheme or substitution failure (plugin code may throw anything), logged for the operator.</summary>
    public static ProxyRefusal Failure(ServiceRoute route, Exception exception, ILogger logger)
    {
        if (exception is AuthSchemeException unavailable)
        {
            ForwardingLog.CredentialUnavailable(logger, route.Vault, route.Name, unavailable.Message);
            return new ProxyRefusal(ProxyError.CredentialUnavailable, CredentialFailureDetail.For(route, unavailable));
        }

        if (logger.IsEnabled(LogLevel.Error))
        {
            ForwardingLog.AuthSchemeFailed(logger, route.Vault, route.Name, exception.GetType().Name);
        }

        return new ProxyRefusal(ProxyError.CredentialUnavailable, $"Service '{route.Name}' of vault '{route.Vault}': the credential could not be applied.");
    }
}
