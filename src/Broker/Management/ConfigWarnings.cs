using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>What a valid configuration allows that weakens a guarantee; <c>apply</c> accepts it and answers these warnings.</summary>
internal static class ConfigWarnings
{
    /// <param name="storeTypes">The store types loaded now: a store of another type is accepted (its plugin may arrive later) but warned about.</param>
    public static IReadOnlyList<string> Collect(ConfigDocument document, IReadOnlyCollection<string> storeTypes)
    {
        ArgumentNullException.ThrowIfNull(storeTypes);
        var warnings = new List<string>();
        var stores = document.Stores ?? [];
        for (var i = 0; i < stores.Count; i++)
        {
            if (stores[i].Type is { Length: > 0 } type && !storeTypes.Contains(type))
            {
                var closest = Spelling.Closest(type, storeTypes);
                warnings.Add($"stores[{i}].type: no loaded plugin provides store type '{type}'{(closest is null ? string.Empty : $" (did you mean '{closest}'?)")}; " +
                    $"store '{stores[i].Name}' stays unavailable until one does (known types: {string.Join(", ", storeTypes.Order(StringComparer.Ordinal))})");
            }
        }

        var vaults = document.Vaults ?? [];
        for (var v = 0; v < vaults.Count; v++)
        {
            var services = vaults[v].Services ?? [];
            for (var s = 0; s < services.Count; s++)
            {
                if (services[s].AllowHttp == true)
                {
                    warnings.Add($"vaults[{v}].services[{s}].allow_http: service '{services[s].Name}' of vault '{vaults[v].Name}' may send its credential over plain HTTP, readable by anyone on the path; use it for lab upstreams only");
                }
            }
        }

        return warnings;
    }
}
