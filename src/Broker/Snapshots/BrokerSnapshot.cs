using System.Collections.Frozen;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Snapshots;

/// <summary>
/// Everything the request path reads, compiled from one <see cref="ConfigState"/>: agents by token hash, vault route tables
/// (with their auth scheme instances), per-agent limits and the vaults' credential bindings. Immutable and published as a whole by <see cref="SnapshotPublisher"/>,
/// so a request sees one configuration version throughout; it holds a lease (<see cref="Release"/>) while it may use a scheme.
/// </summary>
internal sealed class BrokerSnapshot
{
    public BrokerSnapshot(long version, TokenIndex tokens, RouteTable routes, FrozenDictionary<string, AgentLimit> limits, CredentialBindings bindings)
    {
        Version = version;
        Tokens = tokens;
        Routes = routes;
        Limits = limits;
        Bindings = bindings;
    }

    /// <summary>The snapshot before the first configuration is loaded: no tokens, no vaults.</summary>
    public static BrokerSnapshot CreateEmpty() => 
        new(-1, TokenIndex.Empty, RouteTable.CreateEmpty(), FrozenDictionary<string, AgentLimit>.Empty, CredentialBindings.Empty);

    /// <summary>The <see cref="ConfigState.Version"/> it was built from.</summary>
    public long Version { get; }

    public TokenIndex Tokens { get; }

    public RouteTable Routes { get; }

    /// <summary>Compiled limit overrides by agent name (agents without overrides are absent).</summary>
    public FrozenDictionary<string, AgentLimit> Limits { get; }

    public AgentLimit LimitOf(string agent) => Limits.GetValueOrDefault(agent);

    /// <summary>Every vault credential with its parsed reference, cache key and policy, and the stores' cache policies.</summary>
    public CredentialBindings Bindings { get; }

    /// <summary>Ends the lease taken by <see cref="SnapshotPublisher.Acquire"/>.</summary>
    public void Release() => Routes.Release();

    /// <summary>Compiles the per-agent limit overrides (no plugin code).</summary>
    public static FrozenDictionary<string, AgentLimit> CompileLimits(ConfigDocument config)
    {
        var limits = new Dictionary<string, AgentLimit>(StringComparer.Ordinal);
        foreach (var agent in config.Agents ?? [])
        {
            var limit = AgentLimit.Compile(agent);
            if (limit != AgentLimit.Default)
            {
                limits.TryAdd(agent.Name, limit);
            }
        }

        return limits.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
