using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Abstractions.Plugins;

/// <summary>Read-only view over a JSON settings object (store settings or auth-scheme settings) with typed accessors.</summary>
public sealed class PluginSettings
{
    private readonly JsonObject _root;

    /// <summary>Wraps a settings object; the object must not be changed afterwards.</summary>
    public PluginSettings(JsonObject? root) => _root = root ?? [];

    /// <summary>The raw settings object.</summary>
    public JsonObject Root => _root;

    /// <summary>Returns the string at a dotted path, or null when absent.</summary>
    public string? GetString(string path) => Find(path) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => Convert.ToString(v.GetValue<JsonElement>().ToString(), CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>Returns the list of strings at a dotted path (a single string counts as a list of one), or an empty list.</summary>
    public IReadOnlyList<string> GetStringList(string path) => Find(path) switch
    {
        JsonArray a => a.Select(n => n?.ToString() ?? string.Empty).ToArray(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary>Returns the nested object at a dotted path, or null.</summary>
    public PluginSettings? GetSection(string path) => Find(path) is JsonObject o ? new PluginSettings(o) : null;

    /// <summary>Returns the node at a dotted path, or null.</summary>
    public JsonNode? Find(string path)
    {
        JsonNode? node = _root;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Shows setting names only; values may be references to secrets and are not printed.</summary>
    public override string ToString() => "{" + string.Join(", ", _root.Select(p => p.Key)) + "}";
}
