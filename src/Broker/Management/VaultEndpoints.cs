using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/vaults</c>: list, create or update (keeping credentials and services), delete.</summary>
internal static class VaultEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/vaults", List).Needs(AccessNeed.Member);
        admin.MapPut("/vaults/{name}", PutAsync).Needs(AccessNeed.Vault(VaultRole.Admin, "name"));
        admin.MapDelete("/vaults/{name}", DeleteAsync);
    }

    public static object Summary(VaultDefinition v) =>
        new { v.Name, Unmatched = v.Unmatched ?? "deny", Credentials = v.Credentials?.Count ?? 0, Services = v.Services?.Count ?? 0 };

    private static IResult List(HttpResponse response, [FromServices] IConfigStateProvider state)
    {
        var current = state.Current;
        ConfigETag.Set(response, current.ConfigVersion);
        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(response.HttpContext), current.Config);
        return Results.Json((current.Config.Vaults ?? []).Where(v => visible is null || visible.Contains(v.Name)).Select(Summary).ToList(), ModelJson.Options);
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<VaultBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (body.Name is not null && body.Name != name)
        {
            return ProblemResults.BadRequest("the name in the body differs from the name in the path");
        }

        return await writer.EditAsync(
            request,
            document =>
            {
                var vaults = document.Vaults ?? [];
                var index = ConfigDocuments.IndexOf(vaults, v => v.Name, name);
                if (index < 0)
                {
                    vaults.Add(new VaultDefinition { Name = name, Unmatched = body.Unmatched });
                    index = vaults.Count - 1;
                }
                else
                {
                    vaults[index] = vaults[index] with { Unmatched = body.Unmatched };
                }

                return ConfigEdit.Save(document with { Vaults = vaults }, Results.Json(Summary(vaults[index]), ModelJson.Options))
                    .WithErrorPaths(ConfigEdit.StripPrefix($"vaults[{index}]."));
            },
            cancellationToken);
    }

    private static Task<IResult> DeleteAsync(string name, HttpRequest request, [FromServices] ConfigWriter writer, [FromServices] ITokenRepository tokens, [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Vaults, v => v.Name, name);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.NotFound($"vault '{name}' does not exist"));
                }

                var agents = (document.Agents ?? []).Where(a => a.Vaults?.Contains(name) == true).Select(a => a.Name).ToList();
                if (agents.Count > 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict($"vault '{name}' is granted to agent {string.Join(", ", agents)}; remove it from those agents first"));
                }

                document.Vaults!.RemoveAt(index);
                return ConfigEdit.Save(document, async ct =>
                {
                    // Scoped tokens of the vault can never work again; revoke them so they also disappear from the live list.
                    var now = time.GetUtcNow();
                    foreach (var token in (await tokens.ListAsync(ct)).Where(t => t.Vault == name && t.RevokedAt is null))
                    {
                        await tokens.RevokeAsync(token.Id, now, ct);
                    }

                    return Results.NoContent();
                });
            },
            cancellationToken);
}
