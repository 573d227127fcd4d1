using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>What a valid configuration allows that weakens a guarantee; <c>apply</c> accepts it and answers these warnings.</summary>
internal static class ConfigWarnings
{
    public static IReadOnlyList<string> Collect(ConfigDocument document)
    {
        var warnings = new List<string>();
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
