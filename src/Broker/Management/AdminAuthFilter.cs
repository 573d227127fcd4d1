using AgentVault.Broker.Security;

namespace AgentVault.Broker.Management;

/// <summary>Admits a request only with a valid admin token (<c>Authorization: Bearer ava_…</c>); otherwise 401 with <c>WWW-Authenticate: Bearer</c>.</summary>
internal sealed class AdminAuthFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsAdmin(http))
        {
            return ValueTask.FromResult<object?>(ProblemResults.Unauthorized("a valid admin token is required (Authorization: Bearer <admin token>)"));
        }

        return next(context);
    }

    /// <summary>The admin token, or the session token of a person signed in to the web console (which calls the API with it).</summary>
    public static bool IsAdmin(HttpContext http)
    {
        var token = BearerToken.Read(http.Request);
        if (token is null)
        {
            return false;
        }

        return token.StartsWith(ConsoleSessions.TokenPrefix, StringComparison.Ordinal)
            ? http.RequestServices.GetRequiredService<ConsoleSessions>().Find(token) is not null
            : http.RequestServices.GetRequiredService<IAdminTokenVerifier>().Verify(token);
    }
}
