using AgentVault.Broker.Access;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>
/// Records every successful changing request under <c>/v1</c> in the audit trail (SPEC §14), after its handler ran and before
/// the answer is sent, so a client that sees the answer finds the entry. The actor is the admitted caller, or the agent
/// whose token made the request. Dry runs and refused requests change nothing and are not recorded.
/// </summary>
internal sealed class AuditFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !Succeeded(result) || IsDryRun(request) ||
            http.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } pattern })
        {
            return result;
        }

        var (action, summary) = AuditActions.For(request.Method, pattern, request.RouteValues);
        var caller = await CallerResolver.ResolveAsync(http) ?? AgentCaller(http);
        if (action is null || caller is null)
        {
            return result;
        }

        var note = AuditNote.Get(http);
        var path = AuditActions.Fill(pattern, request.RouteValues).TrimStart('/');
        var target = note?.Target ?? (path.StartsWith("v1/", StringComparison.Ordinal) ? path["v1/".Length..] : path);
        var vault = note?.Vault ?? request.RouteValues["vault"] as string ?? (pattern.StartsWith("/v1/vaults/{name}", StringComparison.Ordinal) ? request.RouteValues["name"] as string : null);
        await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(caller, action, target, vault, note?.Summary ?? summary, http.RequestAborted);
        return result;
    }

    private static bool Succeeded(object? result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        return status is >= 200 and < 300;
    }

    private static bool IsDryRun(HttpRequest request) =>
        request.Query.TryGetValue("dry_run", out var value) && !string.Equals(value.ToString(), "false", StringComparison.OrdinalIgnoreCase);

    private static Caller? AgentCaller(HttpContext http)
    {
        var services = http.RequestServices;
        var token = AgentTokenLookup.Find(services.GetRequiredService<IConfigStateProvider>().Current, BearerToken.Read(http.Request), services.GetRequiredService<TimeProvider>().GetUtcNow());
        return token is null ? null : Caller.Agent(token.Agent);
    }
}
