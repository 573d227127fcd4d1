using System.Collections.Frozen;

namespace AgentVault.Broker.Routing;

/// <summary>An immutable snapshot of every vault's routes; replaced as a whole when the configuration changes.</summary>
internal sealed class RouteTable
{
    public static RouteTable Empty { get; } = new(FrozenDictionary<string, VaultRoutes>.Empty, 0);

    private readonly FrozenDictionary<string, VaultRoutes> _vaults;

    public RouteTable(FrozenDictionary<string, VaultRoutes> vaults, long version)
    {
        _vaults = vaults;
        Version = version;
    }

    /// <summary>The <see cref="Model.ConfigState.Version"/> this table was built from.</summary>
    public long Version { get; }

    public VaultRoutes? FindVault(string name) => _vaults.GetValueOrDefault(name);
}
