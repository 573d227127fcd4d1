using AgentVault.Broker.Model;

namespace AgentVault.Broker.Policy;

/// <summary>An agent's compiled limit overrides (null: the server default), parsed once per configuration snapshot.</summary>
internal readonly record struct AgentLimit(RateLimitSpec? Rate, int? MaxInFlight)
{
    /// <summary>No overrides: the server defaults apply.</summary>
    public static AgentLimit Default => default;

    /// <summary>Compiles an agent's <c>rate_limit</c> and <c>max_in_flight</c>; an unparsable rate falls back to the default (validation refuses one on write).</summary>
    public static AgentLimit Compile(string? rate, int? maxInFlight) =>
        new(RateLimitSpec.TryParse(rate, out var spec) ? spec : null, maxInFlight is > 0 ? maxInFlight : null);

    public static AgentLimit Compile(AgentDefinition agent) => Compile(agent.RateLimit, agent.MaxInFlight);
}
