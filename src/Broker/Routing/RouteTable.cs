using System.Collections.Frozen;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Routing;

/// <summary>
/// An immutable snapshot of every vault's routes; replaced as a whole when the configuration changes. Requests hold a lease on
/// the snapshot they routed with (<see cref="TryAcquire"/>/<see cref="Release"/>: one interlocked increment and decrement, no
/// lock) so that auth scheme instances dropped by a rebuild are disposed only after every request that could still use them ended.
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<string, VaultRoutes> _vaults;
    private int _leases;
    private int _retired;

    public RouteTable(FrozenDictionary<string, VaultRoutes> vaults, long version)
    {
        _vaults = vaults;
        Version = version;
    }

    /// <summary>A table with no vaults (before the first configuration is loaded).</summary>
    public static RouteTable CreateEmpty() => new(FrozenDictionary<string, VaultRoutes>.Empty, 0);

    /// <summary>The <see cref="Model.ConfigState.Version"/> this table was built from.</summary>
    public long Version { get; }

    /// <summary>Called (possibly more than once, from any thread) when the table is retired and its last lease was released.</summary>
    public Action<RouteTable>? Drained { get; set; }

    /// <summary>True once the table was retired and no request holds it.</summary>
    public bool IsDrained => Volatile.Read(ref _retired) != 0 && Volatile.Read(ref _leases) == 0;

    public VaultRoutes? FindVault(string name) => _vaults.GetValueOrDefault(name);

    /// <summary>Takes a lease; false when the table was already retired (the caller reads the current table again).</summary>
    public bool TryAcquire()
    {
        // Increment first, then look at the retired flag; Retire sets the flag first, then looks at the count. With both
        // operations fenced, either this sees the flag or Retire sees the lease.
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Release();
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) != 0)
        {
            Drained?.Invoke(this);
        }
    }

    /// <summary>Marks the table as replaced; <see cref="Drained"/> fires now or when the last lease is released.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0)
        {
            Drained?.Invoke(this);
        }
    }
}
