using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/vaults/{v}/credentials</c>: the key → reference map (merged on PUT), delete one key, check all (never a value).</summary>
internal static class CredentialEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/vaults/{vault}/credentials", Get).Needs(AccessNeed.Vault(VaultRole.Viewer));
        admin.MapPut("/vaults/{vault}/credentials", PutAsync).Needs(AccessNeed.Vault(VaultRole.Editor));
        admin.MapDelete("/vaults/{vault}/credentials/{key}", DeleteAsync).Needs(AccessNeed.Vault(VaultRole.Editor));
        admin.MapPost("/vaults/{vault}/credentials/check", CheckAsync).Needs(AccessNeed.Vault(VaultRole.Editor));
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
        return Results.Json(found.Credentials ?? [], ModelJson.Options);
    }

    private static async Task<IResult> PutAsync(string vault, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<Dictionary<string, CredentialDefinition>>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
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

                var credentials = document.Vaults![index].Credentials ?? new Dictionary<string, CredentialDefinition>(StringComparer.Ordinal);
                foreach (var (key, credential) in body)
                {
                    credentials[key] = credential;
                }

                document.Vaults[index] = document.Vaults[index] with { Credentials = credentials };
                return ConfigEdit.Save(document, Results.Json(credentials, ModelJson.Options))
                    .WithErrorPaths(ConfigEdit.StripPrefix($"vaults[{index}]."));
            },
            cancellationToken);
    }

    private static Task<IResult> DeleteAsync(string vault, string key, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken) =>
        writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Vaults, v => v.Name, vault);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(VaultNotFound(vault));
                }

                if (document.Vaults![index].Credentials?.Remove(key) != true)
                {
                    return ConfigEdit.Refuse(ProblemResults.NotFound($"vault '{vault}' has no credential '{key}'"));
                }

                return ConfigEdit.Save(document, Results.NoContent()).WithErrorPaths(ConfigEdit.StripPrefix($"vaults[{index}]."));
            },
            cancellationToken);

    private static async Task<IResult> CheckAsync(
        string vault, [FromServices] IConfigStateProvider state, [FromServices] ICredentialChecker checker, [FromServices] IAuthSchemeNotices? notices, CancellationToken cancellationToken)
    {
        if (state.Current.Config.Vaults?.Exists(v => v.Name == vault) != true)
        {
            return VaultNotFound(vault);
        }

        var results = await checker.CheckVaultAsync(vault, cancellationToken);
        var warnings = (notices?.ForVault(vault) ?? []).ToLookup(n => n.CredentialKey, n => $"service '{n.Service}': {n.Message}", StringComparer.Ordinal);
        return Results.Json(
            results.Select(r => new TestResultForKey(r.Key, r.Ok, r.Error, [.. warnings[r.Key].Distinct(StringComparer.Ordinal)])).ToList(),
            ModelJson.Options);
    }

    private static IResult VaultNotFound(string vault) => ProblemResults.NotFound($"vault '{vault}' does not exist");
}
