using AgentVault.Broker.Management;
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
        admin.MapGet("/approvals", List);
        admin.MapGet("/approvals/grants", ListGrants);
        admin.MapDelete("/approvals/grants/{id}", RevokeGrant);
        admin.MapGet("/approvals/{id}", Get);
        admin.MapPost("/approvals/{id}/approve", ApproveAsync);
        admin.MapPost("/approvals/{id}/deny", Deny);
    }

    private static IResult List([FromQuery] string? status, [FromServices] ApprovalRegistry registry)
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

        return Results.Json(new { Items = registry.List(filter).Select(ApprovalView.From).ToList() }, ModelJson.Options);
    }

    private static IResult Get(string id, [FromServices] ApprovalRegistry registry) =>
        registry.Find(id) is { } held ? Results.Json(ApprovalView.From(held), ModelJson.Options) : NotFound(id);

    private static async Task<IResult> ApproveAsync(string id, HttpRequest request, [FromServices] ApprovalRegistry registry, CancellationToken cancellationToken)
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

        return Decide(registry, id, ApprovalStatus.Approved, grantFor);
    }

    private static IResult Deny(string id, [FromServices] ApprovalRegistry registry) => Decide(registry, id, ApprovalStatus.Denied, null);

    private static IResult Decide(ApprovalRegistry registry, string id, ApprovalStatus status, TimeSpan? grantFor)
    {
        // Who decides: the caller, which the admin filter admitted (the admin token or a console session, both the owner today).
        var result = registry.Decide(id, status, ApprovalActors.Admin, out var held, grantFor);
        return result switch
        {
            DecideResult.Decided => Results.Json(ApprovalView.From(held!), ModelJson.Options),
            DecideResult.AlreadyDecided => ProblemResults.Conflict($"approval '{id}' was already decided: {ApprovalRegistry.Name(held!.Status)} by {held.Outcome?.By}"),
            _ => NotFound(id),
        };
    }

    private static IResult ListGrants([FromServices] ApprovalRegistry registry) =>
        Results.Json(new { Items = registry.Grants.List().Select(GrantView.From).ToList() }, ModelJson.Options);

    private static IResult RevokeGrant(string id, [FromServices] ApprovalRegistry registry) =>
        registry.Grants.Revoke(id) ? Results.NoContent() : ProblemResults.NotFound($"standing grant '{id}' does not exist (or has expired)");

    private static IResult NotFound(string id) =>
        ProblemResults.NotFound($"approval '{id}' does not exist on this broker (held requests live in the instance that holds them, and decided ones are listed for {ApprovalRegistry.RememberFor.TotalMinutes:0} minutes)");

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
