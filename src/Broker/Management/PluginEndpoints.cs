using System.Text.Json.Serialization;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Management;

/// <summary><c>GET /v1/plugins</c>: every plugin folder with its status, error, store types and auth schemes.</summary>
internal static class PluginEndpoints
{
    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/plugins", List).Needs(AccessNeed.Member);

    private static IResult List([FromServices] IPluginCatalog catalog) =>
        Results.Json(catalog.Plugins.Select(p => new PluginView(p.Name, p.Version, p.Status, p.Error, p.StoreTypes, p.AuthSchemes)).ToList(), ModelJson.Options);

    private sealed record PluginView(
        string Name,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Version,
        string Status,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
        IReadOnlyList<string> StoreTypes,
        IReadOnlyList<string> AuthSchemes);
}
