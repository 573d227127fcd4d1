using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/stores/{name}/secrets</c>: list names, set and delete values of a writable store (the file store); values are never returned.</summary>
internal static class StoreSecretEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/stores/{name}/secrets", ListAsync);
        admin.MapPut("/stores/{name}/secrets/{secret}", PutAsync);
        admin.MapDelete("/stores/{name}/secrets/{secret}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(string name, [FromServices] IConfigStateProvider state, [FromServices] IStoreRegistry registry, CancellationToken cancellationToken)
    {
        var (store, problem) = FindWritable(name, state, registry);
        if (store is null)
        {
            return problem!;
        }

        try
        {
            var names = await store.ListSecretNamesAsync(cancellationToken);
            return Results.Json(new { Names = names.Order(StringComparer.Ordinal).ToList() }, ModelJson.Options);
        }
        catch (SecretStoreException ex)
        {
            return ProblemResults.StoreUnavailable($"store '{name}': {ex.Message}");
        }
    }

    private static async Task<IResult> PutAsync(string name, string secret, HttpRequest request, [FromServices] IConfigStateProvider state, [FromServices] IStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (!IsSecretName(secret))
        {
            return ProblemResults.BadRequest("a secret name is 1 to 256 characters without spaces, control characters, ':', '?' or '#'");
        }

        var (store, problem) = FindWritable(name, state, registry);
        if (store is null)
        {
            return problem!;
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<SecretValueBody>(request, cancellationToken, sensitive: true);
        if (body is null || body.Value is null)
        {
            return bodyProblem ?? ProblemResults.BadRequest("the body must be {\"value\": \"…\"}");
        }

        try
        {
            await store.SetSecretAsync(secret, body.Value, cancellationToken);
            return Results.NoContent();
        }
        catch (SecretStoreException ex)
        {
            return ProblemResults.StoreUnavailable($"store '{name}': {ex.Message}");
        }
    }

    private static async Task<IResult> DeleteAsync(string name, string secret, [FromServices] IConfigStateProvider state, [FromServices] IStoreRegistry registry, CancellationToken cancellationToken)
    {
        var (store, problem) = FindWritable(name, state, registry);
        if (store is null)
        {
            return problem!;
        }

        try
        {
            return await store.DeleteSecretAsync(secret, cancellationToken)
                ? Results.NoContent()
                : ProblemResults.NotFound($"store '{name}' has no secret '{secret}'");
        }
        catch (SecretStoreException ex)
        {
            return ProblemResults.StoreUnavailable($"store '{name}': {ex.Message}");
        }
    }

    private static (IWritableSecretStore? Store, IResult? Problem) FindWritable(string name, IConfigStateProvider state, IStoreRegistry registry)
    {
        var definition = state.Current.Config.Stores?.Find(s => s.Name == name);
        if (definition is null)
        {
            return (null, ProblemResults.NotFound($"store '{name}' does not exist"));
        }

        return registry.Find(name, out var reason) switch
        {
            null => (null, ProblemResults.StoreUnavailable($"store '{name}' is unavailable: {reason}")),
            IWritableSecretStore writable => (writable, null),
            _ => (null, ProblemResults.Conflict($"store '{name}' (type {definition.Type}) is read-only here; manage its secrets in the secret manager itself")),
        };
    }

    private static bool IsSecretName(string secret) =>
        secret.Length is > 0 and <= 256 && !secret.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ':' or '?' or '#');
}
