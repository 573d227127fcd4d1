using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary>
/// <c>POST /v1/apply[?prune=true][&amp;dry_run=true]</c> (idempotent merge of a whole document; a dry run validates and plans it
/// exactly like an apply and saves nothing) and <c>GET /v1/export</c> (the document as configured,
/// with the configuration version as its <c>ETag</c>).
/// </summary>
internal static class ApplyEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/apply", ApplyAsync);
        admin.MapGet("/export", ExportAsync);
    }

    private static async Task<IResult> ApplyAsync(HttpRequest request, [FromQuery(Name = "prune")] string? pruneText, [FromQuery(Name = "dry_run")] string? dryRunText, [FromServices] ConfigWriter writer, [FromServices] TokenIssuer issuer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, [FromServices] IPluginCatalog plugins, CancellationToken cancellationToken)
    {
        if (pruneText is not (null or "true" or "false" or "1" or "0"))
        {
            return ProblemResults.BadRequest("prune must be true or false");
        }

        if (dryRunText is not (null or "true" or "false" or "1" or "0"))
        {
            return ProblemResults.BadRequest("dry_run must be true or false");
        }

        var prune = pruneText is "true" or "1";
        var dryRun = dryRunText is "true" or "1";
        var (file, problem) = await JsonBody.ReadAsync<ConfigDocument>(request, cancellationToken);
        if (file is null)
        {
            return problem!;
        }

        if (ConfigValidator.FindNullEntry(file) is { } nullEntry)
        {
            return ProblemResults.BadRequest($"{nullEntry} is null; remove the entry");
        }

        return await writer.EditAsync(
            request,
            current =>
            {
                var plan = ApplyPlanner.Plan(current, file, prune);
                if (!plan.Changed)
                {
                    return ConfigEdit.Unchanged(Results.Json(new ApplyAnswer([], [], [], [], ConfigWarnings.Collect(plan.Document, [.. plugins.StoreTypes.Keys])), ModelJson.Options));
                }

                if (dryRun)
                {
                    return ConfigEdit.Save(plan.Document, Results.Json(new ApplyAnswer(plan.Created, plan.Updated, plan.Deleted, [], ConfigWarnings.Collect(plan.Document, [.. plugins.StoreTypes.Keys])), ModelJson.Options))
                        .WithoutSaving();
                }

                var save = ConfigEdit.Save(plan.Document, async ct =>
                {
                    var now = time.GetUtcNow();
                    foreach (var agent in plan.DeletedAgents)
                    {
                        await tokens.RevokeAgentTokensAsync(agent, now, ct);
                    }

                    var issued = new List<ApplyAnswer.AgentToken>();
                    foreach (var agent in plan.CreatedAgents)
                    {
                        var token = await issuer.IssueAsync(agent, TokenIssuer.AgentKind, null, null, null, null, ct);
                        issued.Add(new(agent, token.Token));
                    }

                    return Results.Json(new ApplyAnswer(plan.Created, plan.Updated, plan.Deleted, issued, ConfigWarnings.Collect(plan.Document, [.. plugins.StoreTypes.Keys])), ModelJson.Options);
                });

                // Planned again on another writer's configuration, a prune would delete what that writer just added: refuse instead.
                return prune ? save.RefuseIfRaced() : save;
            },
            cancellationToken);
    }

    private static async Task<IResult> ExportAsync(HttpResponse response, [FromServices] IConfigRepository repository, CancellationToken cancellationToken)
    {
        var loaded = await repository.LoadVersionedAsync(cancellationToken);
        ConfigETag.Set(response, loaded.Version);
        return Results.Json(loaded.Document, ModelJson.Options);
    }
}
