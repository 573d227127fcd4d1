using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Management;

/// <summary>Finds stores whose bootstrap secrets come, through other stores, from themselves (a → b → a): none of them could ever start.</summary>
internal static class StoreCycleCheck
{
    public static void Check(IReadOnlyList<StoreDefinition> stores, IPluginCatalog catalog, List<ValidationError> errors)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var store in stores)
        {
            if (store.Name is null || edges.ContainsKey(store.Name))
            {
                continue;
            }

            var settings = store.Settings ?? [];
            var secrets = store.Type is not null && catalog.StoreTypes.TryGetValue(store.Type, out var factory)
                ? SecretSettingScanner.Declared(settings, factory.SecretSettings)
                : SecretSettingScanner.ByName(settings);
            edges[store.Name] = [.. secrets
                .Select(s => SecretSettingScanner.AsString(s.Value))
                .Where(v => v is not null && !v.StartsWith("env:", StringComparison.Ordinal) && !v.StartsWith("file:", StringComparison.Ordinal))
                .Select(v => ReferenceSyntax.TryGetStore(v, out var target, out _) ? target : null)
                .OfType<string>()
                .Where(t => t != store.Name)
                .Distinct(StringComparer.Ordinal)];
        }

        for (var i = 0; i < stores.Count; i++)
        {
            if (stores[i].Name is { } name && FindPathBack(name, name, edges, [name], new HashSet<string>(StringComparer.Ordinal)) is { } cycle)
            {
                errors.Add(new($"stores[{i}].settings", $"bootstrap references form a cycle ({string.Join(" → ", cycle)}); one of these stores must take its secrets from env: or file:"));
            }
        }
    }

    private static List<string>? FindPathBack(string start, string current, Dictionary<string, List<string>> edges, List<string> path, HashSet<string> seen)
    {
        foreach (var next in edges.GetValueOrDefault(current) ?? [])
        {
            if (next == start)
            {
                return [.. path, start];
            }

            if (seen.Add(next) && FindPathBack(start, next, edges, [.. path, next], seen) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
