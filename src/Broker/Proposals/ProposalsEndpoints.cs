using AgentVault.Broker.Management;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// <c>/v1/proposals</c> (SPEC §12): agents create and read their own; listing and deciding are admin routes, so no agent
/// token can approve or reject anything.
/// </summary>
internal static class ProposalsEndpoints
{
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        v1.MapPost("/proposals", (HttpRequest request, [FromServices] ProposalService proposals, CancellationToken ct) => proposals.CreateAsync(request, ct));
        v1.MapGet("/proposals/{id}", (HttpContext context, string id, [FromServices] ProposalService proposals, CancellationToken ct) => proposals.GetAsync(context, id, ct));
        admin.MapGet("/proposals", (HttpContext context, [FromQuery] string? vault, [FromQuery] string? status, [FromServices] ProposalService proposals, CancellationToken ct) =>
            proposals.ListAsync(context, vault, status, ct)).Needs(AccessNeed.Member);
        admin.MapPost("/proposals/{id}/approve", (HttpRequest request, string id, [FromServices] ProposalService proposals, CancellationToken ct) =>
            proposals.ApproveAsync(request, id, ct)).Needs(AccessNeed.Handler);
        admin.MapPost("/proposals/{id}/reject", (HttpRequest request, string id, [FromServices] ProposalService proposals, CancellationToken ct) =>
            proposals.RejectAsync(request, id, ct)).Needs(AccessNeed.Handler);
    }
}
