using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>/v1/stores</c>: list with availability, create/replace, delete (refused while referenced), test.</summary>
internal static class StoreEndpoints
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/stores", List).Needs(AccessNeed.Member);
        admin.MapPut("/stores/{name}", PutAsync);
        admin.MapDelete("/stores/{name}", DeleteAsync);
        admin.MapPost("/stores/{name}/test", TestAsync);
    }

    private static IResult List(HttpResponse response, [FromServices] IConfigStateProvider state, [FromServices] IStoreRegistry registry, [FromServices] IStoreStatistics statistics)
    {
        var current = state.Current;
        ConfigETag.Set(response, current.ConfigVersion);
        return Results.Json(
            (current.Config.Stores ?? []).Select(s =>
            {
                var live = registry.Find(s.Name, out var reason);
                var figures = statistics.Get(s.Name);
                return new StoreView(s.Name, s.Type, s.Settings, s.Cache, live is null ? "unavailable" : "available", live is null ? reason : null, figures.Circuit, figures.Cache);
            }).ToList(),
            ModelJson.Options);
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<StoreBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (body.Name is not null && body.Name != name)
        {
            return ProblemResults.BadRequest("the name in the body differs from the name in the path");
        }

        var store = new StoreDefinition { Name = name, Type = body.Type!, Settings = body.Settings, Cache = body.Cache };
        return await writer.EditAsync(
            request,
            document =>
            {
                var stores = document.Stores ?? [];
                var index = ConfigDocuments.IndexOf(stores, s => s.Name, name);
                if (index < 0)
                {
                    stores.Add(store);
                    index = stores.Count - 1;
                }
                else
                {
                    stores[index] = store;
                }

                return ConfigEdit.Save(document with { Stores = stores }, Results.Json(store, ModelJson.Options))
                    .WithErrorPaths(ConfigEdit.StripPrefix($"stores[{index}]."));
            },
            cancellationToken);
    }

    private static Task<IResult> DeleteAsync(string name, HttpRequest request, [FromServices] ConfigWriter writer, CancellationToken cancellationToken) =>
        writer.EditAsync(
            request,
            document =>
            {
                var index = ConfigDocuments.IndexOf(document.Stores, s => s.Name, name);
                if (index < 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.NotFound($"store '{name}' does not exist"));
                }

                var users = (document.Vaults ?? [])
                    .SelectMany(v => (v.Credentials ?? []).Where(c => ReferenceSyntax.TryGetStore(c.Value.Ref, out var s, out _) && s == name).Select(c => $"{v.Name}/{c.Key}"))
                    .ToList();
                var hooks = (document.Notifications ?? []).Where(n => ReferenceSyntax.TryGetStore(n.Secret, out var s, out _) && s == name).Select(n => n.Name).ToList();
                var uses = new List<string>();
                if (users.Count > 0)
                {
                    uses.Add($"credential {string.Join(", ", users.Take(10))}");
                }

                if (hooks.Count > 0)
                {
                    uses.Add($"notification {string.Join(", ", hooks.Take(10))}");
                }

                if (uses.Count > 0)
                {
                    return ConfigEdit.Refuse(ProblemResults.Conflict($"store '{name}' is used by {string.Join(" and ", uses)}; change or delete those first"));
                }

                document.Stores!.RemoveAt(index);
                return ConfigEdit.Save(document, Results.NoContent());
            },
            cancellationToken);

    private static async Task<IResult> TestAsync(string name, [FromServices] IConfigStateProvider state, [FromServices] IStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (ConfigDocuments.IndexOf(state.Current.Config.Stores, s => s.Name, name) < 0)
        {
            return ProblemResults.NotFound($"store '{name}' does not exist");
        }

        var store = registry.Find(name, out var reason);
        if (store is null)
        {
            return Results.Json(new TestResult(false, reason ?? "the store is unavailable"), ModelJson.Options);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestTimeout);
        try
        {
            await store.TestAsync(timeout.Token);
            return Results.Json(new TestResult(true, null), ModelJson.Options);
        }
        catch (SecretStoreException ex)
        {
            return Results.Json(new TestResult(false, ex.Message), ModelJson.Options);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Results.Json(new TestResult(false, $"the store did not answer within {TestTimeout.TotalSeconds:0} s"), ModelJson.Options);
        }
        catch (HttpRequestException ex)
        {
            // Only SecretStoreException messages are promised to be free of secrets; say what kind of failure it was.
            return Results.Json(new TestResult(false, $"the store could not be reached ({ex.HttpRequestError})"), ModelJson.Options);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A plugin bug: report the kind of failure, not a message that was never promised to be free of secrets.
            return Results.Json(new TestResult(false, $"the store's test failed unexpectedly ({ex.GetType().Name})"), ModelJson.Options);
        }
    }
}
