using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Management;

/// <summary>
/// Finds the values of secret-bearing store settings: the paths a loaded plugin declares, or (for a type no plugin provides)
/// every setting whose name contains token, secret, password or private_key, at any depth.
/// </summary>
internal static class SecretSettingScanner
{
    private static readonly string[] Markers = ["token", "secret", "password", "private_key", "privatekey"];

    /// <summary>Yields (dotted path, leaf value) for every leaf under a declared secret path.</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> Declared(JsonObject settings, IEnumerable<string> secretPaths)
    {
        foreach (var dotted in secretPaths)
        {
            JsonNode? node = settings;
            foreach (var part in dotted.Split('.'))
            {
                node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
                if (node is null)
                {
                    break;
                }
            }

            if (node is not null)
            {
                foreach (var leaf in Leaves(node, dotted))
                {
                    yield return leaf;
                }
            }
        }
    }

    /// <summary>Yields (dotted path, leaf value) for every leaf under a setting whose name looks secret.</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> ByName(JsonObject settings, string prefix = "")
    {
        foreach (var (name, value) in settings)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (LooksSecret(name))
            {
                foreach (var leaf in Leaves(value, path))
                {
                    yield return leaf;
                }
            }
            else if (value is JsonObject child)
            {
                foreach (var found in ByName(child, path))
                {
                    yield return found;
                }
            }
            else if (value is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item)
                    {
                        foreach (var found in ByName(item, $"{path}[{i}]"))
                        {
                            yield return found;
                        }
                    }
                }
            }
        }
    }

    public static bool LooksSecret(string settingName)
    {
        var name = settingName.ToLowerInvariant().Replace('-', '_');
        return Markers.Any(m => name.Contains(m, StringComparison.Ordinal));
    }

    /// <summary>The string value of a leaf, or null when it is not a JSON string (a number or boolean is a raw value too).</summary>
    public static string? AsString(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    foreach (var leaf in Leaves(value, path + "." + name))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], $"{path}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case null:
                break;
            default:
                yield return (path, node);
                break;
        }
    }
}
