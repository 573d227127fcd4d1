using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/agents</c>: list, create (with its first token), revoke, rotate, delete (tokens revoked too).</summary>
internal static class AgentEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/agents", ListAsync);
        admin.MapPost("/agents", CreateAsync);
        admin.MapPost("/agents/{name}/revoke", RevokeAsync);
        admin.MapPost("/agents/{name}/rotate", RotateAsync);
        admin.MapDelete("/agents/{name}", DeleteAsync);
    }

    private static IResult ListAsync(HttpResponse response, [FromServices] IConfigStateProvider state, [FromServices] TimeProvider time)
    {
        var current = state.Current;
        ConfigETag.Set(response, current.ConfigVersion);
        var now = time.GetUtcNow();
        return Results.Json(
            (current.Config.Agents ?? []).Select(a =>
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
                var agents = document.Agents ?? [];
                if (body.Name is not null && ConfigDocuments.IndexOf(agents, a => a.Name, body.Name) >= 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict($"agent '{body.Name}' already exists; use rotate for a new token"));
                }

                agents.Add(agent);
                var prefix = $"agents[{agents.Count - 1}].";
                return ConfigEdit.Save(document with { Agents = agents }, async ct =>
                {
                    var issued = await issuer.IssueAsync(agent.Name, TokenIssuer.AgentKind, null, null, ttl, null, ct);
                    return Results.Json(new AgentTokenAnswer(agent.Name, agent.Vaults, issued.Token, issued.Record.Id, issued.Record.ExpiresAt), ModelJson.Options, statusCode: StatusCodes.Status201Created);
                }).WithErrorPaths(ConfigEdit.StripPrefix(prefix));
            },
            cancellationToken);
    }

    private static async Task<IResult> RevokeAsync(string name, [FromServices] IConfigStateProvider state, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        if (state.Current.Config.Agents?.Exists(a => a.Name == name) != true)
        {
            return AgentNotFound(name);
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
