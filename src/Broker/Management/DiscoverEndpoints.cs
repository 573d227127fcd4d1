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

        List<string> granted = token.Vault is { } scoped
            ? [scoped]
            : current.Config.Agents?.Find(a => a.Name == token.Agent)?.Vaults ?? [];
        string chosen;
        if (vault is not null)
        {
            if (!granted.Contains(vault))
            {
                return ProblemResults.NotFound($"vault '{vault}' is not available to this token");
            }

            chosen = vault;
        }
        else if (granted.Count == 1)
        {
            chosen = granted[0];
        }
        else
        {
            return granted.Count == 0
                ? ProblemResults.NotFound("this token has no vault")
                : ProblemResults.BadRequest($"this token can use several vaults ({string.Join(", ", granted)}); pass ?vault=NAME");
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
            },
            ModelJson.Options);
    }
}
