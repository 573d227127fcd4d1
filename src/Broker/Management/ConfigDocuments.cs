using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Deep copies and structural comparison of configuration parts, through their canonical JSON (snake_case, nulls omitted).</summary>
internal static class ConfigDocuments
{
    public static ConfigDocument Clone(ConfigDocument document) =>
        JsonSerializer.Deserialize<ConfigDocument>(JsonSerializer.SerializeToUtf8Bytes(document, ModelJson.Options), ModelJson.Options)!;

    public static bool SameAs<T>(T a, T b) =>
        JsonSerializer.SerializeToUtf8Bytes(a, ModelJson.Options).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, ModelJson.Options));

    /// <summary>Finds an item by name (ordinal), or -1.</summary>
    public static int IndexOf<T>(List<T>? items, Func<T, string?> name, string wanted) =>
        items?.FindIndex(item => string.Equals(name(item), wanted, StringComparison.Ordinal)) ?? -1;
}
