using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Catalog;

/// <summary>
/// <c>GET /v1/catalog</c> and <c>GET /v1/catalog/{id}</c> (SPEC §12): the templates, for the admin token (or a console
/// session) and for agent and scoped tokens alike, since agents pick a template when they propose a service. Templates hold
/// no secrets; a token is still required so the list is not public.
/// </summary>
internal static class CatalogEndpoints
{
    /// <summary>Maps routes that check their own tokens on <paramref name="v1"/> and admin-only routes on <paramref name="admin"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        _ = admin;
        v1.MapGet("/catalog", List);
        v1.MapGet("/catalog/{id}", Show);
    }

    private static async Task<IResult> List(HttpContext context, [FromServices] ServiceCatalog catalog) =>
        !await IsAllowedAsync(context)
            ? Refuse()
            : Results.Json(new { Items = catalog.All }, ModelJson.Options);

    private static async Task<IResult> Show(string id, HttpContext context, [FromServices] ServiceCatalog catalog)
    {
        if (!await IsAllowedAsync(context))
        {
            return Refuse();
        }

        return catalog.Find(id) is { } template
            ? Results.Json(template, ModelJson.Options)
            : ProblemResults.NotFound($"the catalog has no template '{id}' (GET /v1/catalog lists them)");
    }

    private static async Task<bool> IsAllowedAsync(HttpContext context)
    {
        if (await CallerResolver.ResolveAsync(context) is not null)
        {
            return true;
        }

        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        return AgentTokenLookup.Find(services.GetRequiredService<IConfigStateProvider>().Current, BearerToken.Read(context.Request), now) is not null;
    }

    private static IResult Refuse() =>
        ProblemResults.Unauthorized("an admin, agent or scoped token is required (Authorization: Bearer …)");
}
