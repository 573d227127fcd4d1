using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Management;

/// <summary>
/// People's sessions and the admin token (SPEC §14), for the owner: <c>GET /v1/sessions</c> lists live sessions,
/// <c>DELETE /v1/sessions/{id}</c> ends one at once (on every instance), <c>POST /v1/admin/rotate-token</c> replaces the
/// admin token and answers the new one, once.
/// </summary>
internal static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/sessions", ListAsync);
        admin.MapDelete("/sessions/{id}", RevokeAsync);
        admin.MapPost("/admin/rotate-token", RotateAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, [FromServices] SessionStore sessions, CancellationToken cancellationToken)
    {
        var own = CallerResolver.Admitted(context).SessionId;
        var live = await sessions.ListLiveAsync(cancellationToken);
        return Results.Json(
            new { Items = live.Select(s => new { s.Id, s.Kind, s.Actor, s.Groups, s.CreatedAt, s.ExpiresAt, s.LastSeenAt, Current = s.Id == own }).ToList() },
            ModelJson.Options);
    }

    private static async Task<IResult> RevokeAsync(string id, [FromServices] SessionStore sessions, CancellationToken cancellationToken) =>
        await sessions.RevokeAsync(id, cancellationToken) ? Results.NoContent() : ProblemResults.NotFound($"session '{id}' does not exist or has ended");

    private static async Task<IResult> RotateAsync(
        HttpContext context, [FromServices] IAdminTokenRotator store, [FromServices] SessionStore sessions, [FromServices] ILogger<IAdminTokenRotator> logger, CancellationToken cancellationToken)
    {
        var token = await store.RotateAsync(cancellationToken);

        // Console sign-ins made with the old token are sessions of their own: a leaked token's sessions end with it.
        await sessions.RevokeAllOfAsync(Caller.AdminTokenActor, cancellationToken);
        AccessLog.AdminTokenRotated(logger, CallerResolver.Admitted(context).Actor);
        return Results.Json(new { Token = token }, ModelJson.Options);
    }
}
