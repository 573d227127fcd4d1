using AgentVault.Broker.Access;
using System.Globalization;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/vaults/{v}/services</c>: list, upsert by name (existing ones keep their place, new ones are appended in body order), delete.</summary>
internal static class ServiceEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/vaults/{vault}/services", Get).Needs(AccessNeed.Vault(VaultRole.Viewer));
        admin.MapPut("/vaults/{vault}/services", PutAsync).Needs(AccessNeed.Vault(VaultRole.Editor));
        admin.MapDelete("/vaults/{vault}/services/{name}", DeleteAsync).Needs(AccessNeed.Vault(VaultRole.Editor));
    }

    private static IResult Get(string vault, HttpResponse response, [FromServices] IConfigStateProvider state)
    {
        var current = state.Current;
        var found = current.Config.Vaults?.Find(v => v.Name == vault);
        if (found is null)
        {
            return VaultNotFound(vault);
        }

        ConfigETag.Set(response, current.ConfigVersion);
        return Results.Json(found.Services ?? [], ModelJson.Options);
    }

    private static async Task<IResult> PutAsync(string vault, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ServicesBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (body.Services is null || body.Services.Count == 0)
        {
            return ProblemResults.BadRequest("the body must be {\"services\": [ … ]} with at least one service");
        }

        return await writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Vaults, v => v.Name, vault);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(VaultNotFound(vault));
                }

                var services = document.Vaults![index].Services ?? [];

                // Remember where each body item lands so validation errors can name the body's index.
                var bodyIndexOf = new Dictionary<int, int>();
                for (var i = 0; i < body.Services.Count; i++)
                {
                    var service = body.Services[i];
                    var at = ConfigDocuments.IndexOf(services, s => s.Name, service.Name ?? string.Empty);
                    if (at < 0 || bodyIndexOf.ContainsKey(at))
                    {
                        services.Add(service);
                        at = services.Count - 1;
                    }
                    else
                    {
                        services[at] = service;
                    }

                    bodyIndexOf[at] = i;
                }

                document.Vaults[index] = document.Vaults[index] with { Services = services };
                var prefix = $"vaults[{index}].services[";
                return ConfigEdit.Save(document, Results.Json(services, ModelJson.Options)).WithErrorPaths(path => MapPath(path, prefix, bodyIndexOf));
            },
            cancellationToken);
    }

    private static Task<IResult> DeleteAsync(string vault, string name, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken) =>
        writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Vaults, v => v.Name, vault);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(VaultNotFound(vault));
                }

                var services = document.Vaults![index].Services;
                var at = ConfigDocuments.IndexOf(services, s => s.Name, name);
                if (at < 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.NotFound($"vault '{vault}' has no service '{name}'"));
                }

                services!.RemoveAt(at);
                return ConfigEdit.Save(document, Results.NoContent());
            },
            cancellationToken);

    private static string MapPath(string path, string prefix, Dictionary<int, int> bodyIndexOf)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return path;
        }

        var close = path.IndexOf(']', prefix.Length);
        if (close < 0 || !int.TryParse(path.AsSpan(prefix.Length, close - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var merged) ||
            !bodyIndexOf.TryGetValue(merged, out var bodyIndex))
        {
            return path;
        }

        return $"services[{bodyIndex.ToString(CultureInfo.InvariantCulture)}]{path[(close + 1)..]}";
    }

    private static IResult VaultNotFound(string vault) => ProblemResults.NotFound($"vault '{vault}' does not exist");
}
