using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Plugins.StoreHttp;

/// <summary>Status and parsed JSON body (null when absent or not JSON) of one call to a secret manager's REST API.</summary>
public sealed record JsonApiResponse(HttpStatusCode Status, JsonObject? Body)
{
    private const int MaxDetailLength = 200;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The string property <paramref name="name"/> of the body, or null.</summary>
    public string? StringAt(string name) => Body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Shortens an error text taken from a response so a verbose server cannot flood logs and messages.</summary>
    public static string Shorten(string text) => text.Length > MaxDetailLength ? text[..MaxDetailLength] + "…" : text;
}
