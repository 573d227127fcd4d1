using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>GET /v1/discover</c> (agent or scoped token): proxy URL, vault, its services' names and hosts and its credential key names — never values.</summary>
internal static class DiscoverEndpoints
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/discover", Discover);

    private static IResult Discover(HttpContext context, [FromQuery] string? vault, [FromServices] IConfigStateProvider state, [FromServices] ProxyUrlResolver proxyUrl, [FromServices] TimeProvider time)
    {
        var current = state.Current;
        var token = AgentTokenLookup.Find(current, BearerToken.Read(context.Request), time.GetUtcNow());
        if (token is null)
        {
            return ProblemResults.Unauthorized("a valid agent or scoped token is required (Authorization: Bearer avt_…)");
        }

        var (chosen, problem) = AgentTokenLookup.ChooseVault(current, token, vault);
        if (chosen is null)
        {
            return problem!;
        }

        var definition = current.Config.Vaults?.Find(v => v.Name == chosen);
        if (definition is null)
        {
            return ProblemResults.NotFound($"vault '{chosen}' is not available to this token");
        }

        return Results.Json(
            new
            {
                ProxyUrl = proxyUrl.Resolve(context),
                Vault = chosen,
                Services = (definition.Services ?? []).Select(s => new { s.Name, s.Host }).ToList(),
                Credentials = (definition.Credentials ?? []).Keys.Order(StringComparer.Ordinal).ToList(),
                Proposals = new { Endpoint = "/v1/proposals", Catalog = "/v1/catalog", Docs = "docs/proposals.md" },
            },
            ModelJson.Options);
    }
}
