using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Validates one agent: name, granted vaults exist, limits.</summary>
internal static class AgentValidator
{
    public static void Validate(AgentDefinition agent, string path, Func<string, bool> vaultExists, List<ValidationError> errors)
    {
        if (!NameRules.IsName(agent.Name))
        {
            errors.Add(new(path + ".name", $"agent name must be {NameRules.NameHint}"));
        }

        var vaults = agent.Vaults ?? [];
        if (vaults.Count == 0)
        {
            errors.Add(new(path + ".vaults", "an agent needs at least one vault"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < vaults.Count; i++)
        {
            var vault = vaults[i];
            if (vault is null || !vaultExists(vault))
            {
                errors.Add(new($"{path}.vaults[{i}]", $"vault '{vault}' does not exist"));
            }
            else if (!seen.Add(vault))
            {
                errors.Add(new($"{path}.vaults[{i}]", $"vault '{vault}' is listed twice"));
            }
        }

        if (agent.RateLimit is not null && !RateLimitSyntax.IsValid(agent.RateLimit))
        {
            errors.Add(new(path + ".rate_limit", RateLimitSyntax.Hint));
        }

        if (agent.MaxInFlight is < 1)
        {
            errors.Add(new(path + ".max_in_flight", "max_in_flight must be at least 1"));
        }
    }
}
