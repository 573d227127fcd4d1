using AgentVault.Broker.Access;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>
/// The one place management rights are enforced (SPEC §14), for the API and so for the console and the CLI, which call it:
/// no valid session or admin token → 401; a right the caller's role does not give → 403 <c>forbidden</c> naming it.
/// </summary>
internal sealed class AccessFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = await CallerResolver.ResolveAsync(http);
        if (caller is null)
        {
            return ProblemResults.Unauthorized("sign in (agent-vault login) or send the admin token: Authorization: Bearer <token>");
        }

        var need = http.GetEndpoint()?.Metadata.GetMetadata<AccessNeed>() ?? AccessNeed.Owner;
        var config = http.RequestServices.GetRequiredService<IConfigStateProvider>().Current.Config;
        var refusal = need.Level switch
        {
            AccessLevel.Owner => AccessPolicy.IsOwner(caller, config) ? null : "this needs the owner role",
            AccessLevel.Member => AccessPolicy.IsMember(caller, config) ? null : "you have no role here; ask an owner to grant you one in access:",
            AccessLevel.Vault => VaultAccess.Refusal(caller, config, http.Request.RouteValues[need.VaultRouteValue!] as string ?? string.Empty, need.Role),
            _ => null,
        };

        return refusal is null ? await next(context) : ProblemResults.Forbidden(refusal);
    }
}
