using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/agents</c>: list, create (with its first token), revoke, rotate, delete (tokens revoked too).</summary>
internal static class AgentEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/agents", ListAsync).Needs(AccessNeed.Member);
        admin.MapPost("/agents", CreateAsync).Needs(AccessNeed.Handler);
        admin.MapPost("/agents/{name}/revoke", RevokeAsync).Needs(AccessNeed.Handler);
        admin.MapPost("/agents/{name}/rotate", RotateAsync).Needs(AccessNeed.Handler);
        admin.MapDelete("/agents/{name}", DeleteAsync).Needs(AccessNeed.Handler);
    }

    private static IResult ListAsync(HttpResponse response, [FromServices] IConfigStateProvider state, [FromServices] TimeProvider time)
    {
        var current = state.Current;
        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(response.HttpContext), current.Config);
        ConfigETag.Set(response, current.ConfigVersion);
        var now = time.GetUtcNow();
        return Results.Json(
            (current.Config.Agents ?? []).Where(a => visible is null || (a.Vaults ?? []).Any(visible.Contains)).Select(a =>
            {
                var tokens = current.Tokens.Where(t => t.Agent == a.Name).ToList();
                return new
                {
                    a.Name,
                    Vaults = a.Vaults ?? [],
                    CanMint = a.CanMint ?? false,
                    Tokens = tokens.Count(t => t.RevokedAt is null && !(t.ExpiresAt <= now)),
                    CreatedAt = tokens.Count == 0 ? (DateTimeOffset?)null : tokens.Min(t => t.CreatedAt),
                };
            }).ToList(),
            ModelJson.Options);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, [FromServices] ConfigWriter writer, [FromServices] TokenIssuer issuer, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AgentBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (!TtlRules.TryParse(body.Ttl, null, null, out var ttl, out var ttlError))
        {
            return ProblemResults.ValidationFailed([new("ttl", ttlError)]);
        }

        var agent = new AgentDefinition { Name = body.Name!, Vaults = body.Vaults, CanMint = body.CanMint, RateLimit = body.RateLimit, MaxInFlight = body.MaxInFlight };
        return await writer.EditAsync(
            request,
            document =>
            {
                if (VaultAccess.CheckAll(request.HttpContext, document, body.Vaults, VaultRole.Admin) is { } forbidden)
                {
                    return ConfigEdit.Refuse(forbidden);
                }

                var agents = document.Agents ?? [];
                if (body.Name is not null && ConfigDocuments.IndexOf(agents, a => a.Name, body.Name) >= 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict($"agent '{body.Name}' already exists; use rotate for a new token"));
                }

                agents.Add(agent);
                AuditNote.Set(request.HttpContext, new(
                    Vault: agent.Vaults is [var only] ? only : null,
                    Target: "agents/" + agent.Name,
                    Summary: $"created agent {agent.Name} for vaults {string.Join(", ", agent.Vaults ?? [])}"));
                var prefix = $"agents[{agents.Count - 1}].";
                return ConfigEdit.Save(document with { Agents = agents }, async ct =>
                {
                    var issued = await issuer.IssueAsync(agent.Name, TokenIssuer.AgentKind, null, null, ttl, null, ct);
                    return Results.Json(new AgentTokenAnswer(agent.Name, agent.Vaults, issued.Token, issued.Record.Id, issued.Record.ExpiresAt), ModelJson.Options, statusCode: StatusCodes.Status201Created);
                }).WithErrorPaths(ConfigEdit.StripPrefix(prefix));
            },
            cancellationToken);
    }

    private static async Task<IResult> RevokeAsync(string name, HttpContext context, [FromServices] IConfigStateProvider state, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var config = state.Current.Config;
        if (config.Agents?.Find(a => a.Name == name) is not { } found)
        {
            return AgentNotFound(name);
        }

        if (VaultAccess.CheckAll(context, config, found.Vaults, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        var revoked = await writer.ExclusiveAsync(ct => tokens.RevokeAgentTokensAsync(name, time.GetUtcNow(), ct), cancellationToken);
        return Results.Json(new { Revoked = revoked }, ModelJson.Options);
    }

    private static async Task<IResult> RotateAsync(string name, HttpRequest request, [FromServices] IConfigStateProvider state, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TokenIssuer issuer, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        string? ttlText = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<AgentBody>(request, cancellationToken);
            if (body is null)
            {
                return problem!;
            }

            ttlText = body.Ttl;
        }

        if (!TtlRules.TryParse(ttlText, null, null, out var ttl, out var ttlError))
        {
            return ProblemResults.ValidationFailed([new("ttl", ttlError)]);
        }

        var agent = state.Current.Config.Agents?.Find(a => a.Name == name);
        if (agent is null)
        {
            return AgentNotFound(name);
        }

        if (VaultAccess.CheckAll(request.HttpContext, state.Current.Config, agent.Vaults, VaultRole.Admin) is { } forbidden)
        {
            return forbidden;
        }

        var issued = await writer.ExclusiveAsync(
            async ct =>
            {
                await tokens.RevokeAgentTokensAsync(name, time.GetUtcNow(), ct);
                return await issuer.IssueAsync(name, TokenIssuer.AgentKind, null, null, ttl, null, ct);
            },
            cancellationToken);
        return Results.Json(new AgentTokenAnswer(name, null, issued.Token, issued.Record.Id, issued.Record.ExpiresAt), ModelJson.Options);
    }

    private static Task<IResult> DeleteAsync(string name, HttpRequest request, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Agents, a => a.Name, name);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(AgentNotFound(name));
                }

                if (VaultAccess.CheckAll(request.HttpContext, document, document.Agents![index].Vaults, VaultRole.Admin) is { } forbidden)
                {
                    return ConfigEdit.Refuse(forbidden);
                }

                document.Agents!.RemoveAt(index);
                return ConfigEdit.Save(document, async ct =>
                {
                    await tokens.RevokeAgentTokensAsync(name, time.GetUtcNow(), ct);
                    return Results.NoContent();
                });
            },
            cancellationToken);

    private static IResult AgentNotFound(string name) => ProblemResults.NotFound($"agent '{name}' does not exist");
}
