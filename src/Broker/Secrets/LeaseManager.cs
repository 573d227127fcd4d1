using System.Collections.Concurrent;
using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Keeps the leases the cache holds: renews renewable leases of values still in use before they end, and revokes
/// outstanding leases when their store goes away or the broker stops. A lease is identified by store and lease id.
/// </summary>
internal sealed class LeaseManager
{
    private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Store, string Id), TrackedLease> _leases = new();
    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;
    private readonly SecretCacheOptions _options;
    private readonly ILogger _logger;

    public LeaseManager(StoreRegistry registry, TimeProvider time, SecretCacheOptions options, ILogger logger)
    {
        _registry = registry;
        _time = time;
        _options = options;
        _logger = logger;
    }

    public int Count => _leases.Count;

    public void Track(TrackedLease lease) => _leases[(lease.Store, lease.Lease.Id)] = lease;

    /// <summary>Removes and returns the still-valid leases of a store.</summary>
    public List<TrackedLease> Take(string store)
    {
        var now = _time.GetUtcNow();
        var taken = new List<TrackedLease>();
        foreach (var (key, lease) in _leases)
        {
            if (key.Store == store && _leases.TryRemove(key, out _) && lease.Lease.ExpiresAt > now)
            {
                taken.Add(lease);
            }
        }

        return taken;
    }

    /// <summary>
    /// Renews each renewable lease whose value was used since it was issued (or last renewed) once two thirds of its
    /// duration have passed; a lease nobody uses is left to expire and the next use reads a new one.
    /// </summary>
    public async Task RenewDueAsync(ICollection<KeyValuePair<CacheKey, CacheEntry>> entries, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (key, lease) in _leases)
        {
            if (lease.Lease.ExpiresAt <= now)
            {
                _leases.TryRemove(key, out _);
            }
        }

        foreach (var (key, entry) in entries)
        {
            if (entry.Value is not { Lease: { Renewable: true } lease } value
                || entry.LastUsed <= lease.IssuedAt
                || now < lease.IssuedAt + (lease.Duration * 2 / 3)
                || now >= lease.ExpiresAt)
            {
                continue;
            }

            var slot = _registry.GetSlot(key.Store);
            if (slot?.Instance is not ILeasingSecretStore store || !slot.TryEnter())
            {
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.FetchTimeout);
                var renewed = await store.RenewLeaseAsync(lease, timeout.Token).ConfigureAwait(false);
                if (ReferenceEquals(entry.Value, value))
                {
                    entry.Value = value.WithLease(renewed, _options.ExpiryMargin);
                }

                _leases.TryRemove((key.Store, lease.Id), out _);
                Track(new TrackedLease(key.Store, key.Path, renewed));
                SecretsLog.LeaseRenewed(_logger, key.Store, key.Path, renewed.Duration);
            }
            catch (Exception ex) when (ex is SecretStoreException or OperationCanceledException or HttpRequestException)
            {
                SecretsLog.LeaseRenewFailed(_logger, key.Store, key.Path, ex.Message);
            }
            finally
            {
                slot.Exit();
            }
        }
    }

    /// <summary>Revokes every outstanding lease that has not expired (broker shutdown).</summary>
    public async Task RevokeAllAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var all = _leases.Values.Where(l => l.Lease.ExpiresAt > now).ToList();
        _leases.Clear();
        await Task.WhenAll(all.Select(l => RevokeAsync(l, untrack: false, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Revokes one lease through the store's current instance.</summary>
    public async Task RevokeAsync(TrackedLease lease, bool untrack, CancellationToken cancellationToken)
    {
        if (untrack)
        {
            _leases.TryRemove((lease.Store, lease.Lease.Id), out _);
        }

        var slot = _registry.GetSlot(lease.Store);
        if (slot?.Instance is not ILeasingSecretStore || !slot.TryEnter())
        {
            return;
        }

        await RevokeWithAsync(slot, [lease], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes leases through <paramref name="slot"/>, which the caller has entered; exits it when done.</summary>
    public async Task RevokeWithAsync(StoreSlot slot, IReadOnlyList<TrackedLease> leases, CancellationToken cancellationToken)
    {
        try
        {
            if (slot.Instance is not ILeasingSecretStore store)
            {
                return;
            }

            foreach (var lease in leases)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(RevokeTimeout);
                    await store.RevokeLeaseAsync(lease.Lease, timeout.Token).ConfigureAwait(false);
                    SecretsLog.LeaseRevoked(_logger, lease.Store, lease.Path);
                }
                catch (Exception ex) when (ex is SecretStoreException or OperationCanceledException or HttpRequestException)
                {
                    SecretsLog.LeaseRevokeFailed(_logger, lease.Store, lease.Path, ex.Message);
                }
            }
        }
        finally
        {
            slot.Exit();
        }
    }
}
