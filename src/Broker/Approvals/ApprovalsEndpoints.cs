using AgentVault.Broker.Access;
using AgentVault.Broker.Management;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// <c>/v1/approvals</c> (admin only; SPEC §12, docs/approvals.md): list held requests, approve (optionally for a while) or deny
/// one, list and end standing grants. The held requests are this broker instance's.
/// </summary>
internal static class ApprovalsEndpoints
{
    /// <summary>Maps routes that check their own tokens on <paramref name="v1"/> and admin-only routes on <paramref name="admin"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        _ = v1;
        admin.MapGet("/approvals", List).Needs(AccessNeed.Member);
        admin.MapGet("/approvals/grants", ListGrants).Needs(AccessNeed.Member);
        admin.MapDelete("/approvals/grants/{id}", RevokeGrant).Needs(AccessNeed.Handler);
        admin.MapGet("/approvals/{id}", Get).Needs(AccessNeed.Handler);
        admin.MapPost("/approvals/{id}/approve", ApproveAsync).Needs(AccessNeed.Handler);
        admin.MapPost("/approvals/{id}/deny", Deny).Needs(AccessNeed.Handler);
    }

    private static IResult List(HttpContext context, [FromQuery] string? status, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state)
    {
        ApprovalStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!ApprovalRegistry.TryParse(status, out var parsed))
            {
                return ProblemResults.BadRequest("status must be pending, approved, denied, timeout or cancelled");
            }

            filter = parsed;
        }

        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(context), state.Current.Config);
        return Results.Json(new { Items = registry.List(filter).Where(h => visible is null || visible.Contains(h.Vault)).Select(ApprovalView.From).ToList() }, ModelJson.Options);
    }

    private static IResult Get(string id, HttpContext context, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state) =>
        registry.Find(id) is not { } held ? NotFound(id)
        : VaultAccess.Check(context, state.Current.Config, held.Vault, VaultRole.Viewer) ?? Results.Json(ApprovalView.From(held), ModelJson.Options);

    private static async Task<IResult> ApproveAsync(string id, HttpRequest request, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state, CancellationToken cancellationToken)
    {
        TimeSpan? grantFor = null;
        if (HasBody(request))
        {
            var (body, problem) = await JsonBody.ReadAsync<ApproveBody>(request, cancellationToken);
            if (body is null)
            {
                return problem!;
            }

            if (body.For is not null)
            {
                if (!Durations.TryParse(body.For, out var duration) || duration <= TimeSpan.Zero || duration > StandingGrants.MaxFor)
                {
                    return ProblemResults.ValidationFailed([new("for", $"for must be a positive duration of at most {StandingGrants.MaxFor.TotalHours:0}h (e.g. 10m, 1h)")]);
                }

                grantFor = duration;
            }
        }

        return Decide(request.HttpContext, registry, state, id, ApprovalStatus.Approved, grantFor);
    }

    private static IResult Deny(string id, HttpContext context, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state) =>
        Decide(context, registry, state, id, ApprovalStatus.Denied, null);

    private static IResult Decide(HttpContext context, ApprovalRegistry registry, IConfigStateProvider state, string id, ApprovalStatus status, TimeSpan? grantFor)
    {
        // Deciding needs the admin role in the held request's vault; the decider is recorded by name (SPEC §14).
        var target = registry.Find(id);
        if (target is not null && VaultAccess.Check(context, state.Current.Config, target.Vault, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        if (target is not null)
        {
            AuditNote.Set(context, new(Vault: target.Vault, Summary: $"{(status == ApprovalStatus.Approved ? "approved" : "denied")} held request {id}: {target.Method} {target.Host}{target.Path} of agent {target.Agent}{(grantFor is { } span ? $", and the same for {span}" : string.Empty)}"));
        }

        var result = registry.Decide(id, status, CallerResolver.Admitted(context).Actor, out var held, grantFor);
        return result switch
        {
            DecideResult.Decided => Results.Json(ApprovalView.From(held!), ModelJson.Options),
            DecideResult.AlreadyDecided => ProblemResults.Conflict($"approval '{id}' was already decided: {ApprovalRegistry.Name(held!.Status)} by {held.Outcome?.By}"),
            _ => NotFound(id),
        };
    }

    private static IResult ListGrants(HttpContext context, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state)
    {
        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(context), state.Current.Config);
        return Results.Json(new { Items = registry.Grants.List().Where(g => visible is null || visible.Contains(g.Vault)).Select(GrantView.From).ToList() }, ModelJson.Options);
    }

    private static IResult RevokeGrant(string id, HttpContext context, [FromServices] ApprovalRegistry registry, [FromServices] IConfigStateProvider state)
    {
        var grant = registry.Grants.List().FirstOrDefault(g => g.Id == id);
        if (grant is not null && VaultAccess.Check(context, state.Current.Config, grant.Vault, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        AuditNote.Set(context, new(Vault: grant?.Vault));

        return grant is not null && registry.Grants.Revoke(id) ? Results.NoContent() : ProblemResults.NotFound($"standing grant '{id}' does not exist (or has expired)");
    }

    private static IResult NotFound(string id) =>
        ProblemResults.NotFound($"approval '{id}' does not exist on this broker (held requests live in the instance that holds them, and decided ones are listed for {ApprovalRegistry.RememberFor.TotalMinutes:0} minutes)");

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
