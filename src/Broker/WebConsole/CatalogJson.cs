using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>Reads catalog templates (<c>GET /v1/catalog</c>) for the catalog page.</summary>
internal static class CatalogJson
{
    /// <summary>The template's required credential keys (optional ones are left out).</summary>
    public static List<string> Keys(JsonElement template) =>
        template.TryGetProperty("credentials", out var credentials) && credentials.ValueKind == JsonValueKind.Array
            ? [.. credentials.EnumerateArray().Where(c => PageJson.Text(c, "optional") != "true").Select(c => PageJson.Text(c, "key"))]
            : [];

    public static List<string> Presets(JsonElement template) =>
        template.TryGetProperty("presets", out var presets) && presets.ValueKind == JsonValueKind.Object
            ? [.. presets.EnumerateObject().Select(p => p.Name)]
            : [];

    /// <summary>The CLI line that adds the template to a vault, with a placeholder reference per key and the read-only preset when offered.</summary>
    public static string AddCommand(JsonElement template)
    {
        var id = PageJson.Text(template, "id");
        var credentials = string.Concat(Keys(template).Select(k => $" --credential {k}=local:{id}"));
        var preset = Presets(template).Contains("read-only") ? " --preset read-only" : string.Empty;
        var parameters = template.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Array
            ? string.Concat(p.EnumerateArray().Where(x => PageJson.Text(x, "default").Length == 0).Select(x => $" --param {PageJson.Text(x, "name")}=…"))
            : string.Empty;
        return $"agent-vault vault service add --vault VAULT --from-catalog {id}{parameters}{credentials}{preset}";
    }
}
