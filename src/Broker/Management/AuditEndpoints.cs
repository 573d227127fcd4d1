using System.Globalization;
using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary>
/// <c>GET /v1/audit</c> (SPEC §14): the audit trail, newest first, or oldest first after <c>after=ID</c> (to follow). The owner
/// sees every entry; anyone else the entries of the vaults they may view, and their own.
/// </summary>
internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/audit", GetAsync).Needs(AccessNeed.Member);

    private static async Task<IResult> GetAsync(
        HttpContext context, [FromQuery] string? after, [FromQuery] string? before, [FromQuery] string? vault, [FromQuery] string? actor, [FromQuery] string? action,
        [FromQuery] string? limit, [FromServices] AuditTrail audit, [FromServices] IConfigStateProvider state, CancellationToken cancellationToken)
    {
        if (!TryNumber(after, out var afterId) || !TryNumber(before, out var beforeId) || !TryNumber(limit, out var count) || count is < 1 or > MaxLimit)
        {
            return ProblemResults.BadRequest($"after and before must be entry ids, and limit a number from 1 to {MaxLimit}");
        }

        var caller = CallerResolver.Admitted(context);
        var visible = AccessPolicy.VisibleVaults(caller, state.Current.Config);
        if (vault is not null && visible is not null && !visible.Contains(vault))
        {
            return ProblemResults.Forbidden($"this needs the viewer role in vault '{vault}'");
        }

        var entries = await audit.QueryAsync(
            new AuditQuery { After = afterId, Before = beforeId, Vault = vault, Actor = actor, Action = action, Vaults = visible, AlsoActor = caller.Actor, Limit = (int)(count ?? 100) },
            cancellationToken);
        return Results.Json(new { Items = entries }, ModelJson.Options);
    }

    private static bool TryNumber(string? text, out long? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed);
        value = parsed;
        return ok;
    }
}
