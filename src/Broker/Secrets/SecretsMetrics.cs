using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Counters of the secret cache on the meter <c>AgentVault.Secrets</c>, each tagged with the store name, and the same
/// hit/miss/stale counts per store in memory for <c>GET /v1/stores</c> (a meter's counters cannot be read back).
/// </summary>
internal sealed class SecretsMetrics : IDisposable
{
    public const string MeterName = "AgentVault.Secrets";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _staleServes;
    private readonly Counter<long> _storeErrors;
    private readonly Counter<long> _negativeHits;
    private readonly ConcurrentDictionary<string, StoreCacheCounters> _perStore = new(StringComparer.Ordinal);

    public SecretsMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _hits = _meter.CreateCounter<long>("agentvault.secrets.cache.hits", description: "Credential lookups answered from the cache.");
        _misses = _meter.CreateCounter<long>("agentvault.secrets.cache.misses", description: "Credential lookups that waited for a store read.");
        _staleServes = _meter.CreateCounter<long>("agentvault.secrets.cache.stale_serves", description: "Expired values served because the store failed (within max_stale).");
        _storeErrors = _meter.CreateCounter<long>("agentvault.secrets.store.errors", description: "Failed store reads, by store and category.");
        _negativeHits = _meter.CreateCounter<long>("agentvault.secrets.cache.negative_hits", description: "Lookups answered by a remembered not-found.");
    }

    public Meter Meter => _meter;

    public void Hit(string store)
    {
        _hits.Add(1, new KeyValuePair<string, object?>("store", store));
        CountersOf(store).Hit();
    }

    public void Miss(string store)
    {
        _misses.Add(1, new KeyValuePair<string, object?>("store", store));
        CountersOf(store).Miss();
    }

    public void StaleServe(string store)
    {
        _staleServes.Add(1, new KeyValuePair<string, object?>("store", store));
        CountersOf(store).StaleServe();
    }

    /// <summary>The counts of <paramref name="store"/> since start, or null when it was never looked up.</summary>
    public StoreCacheCounters? Counts(string store) => _perStore.GetValueOrDefault(store);

    public void NegativeHit(string store) => _negativeHits.Add(1, new KeyValuePair<string, object?>("store", store));

    public void StoreError(string store, string category) =>
        _storeErrors.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("category", category));

    // A lock-free read once the store has been seen; GetOrAdd allocates only for the first lookup of a store.
    private StoreCacheCounters CountersOf(string store) =>
        _perStore.TryGetValue(store, out var counters) ? counters : _perStore.GetOrAdd(store, static _ => new StoreCacheCounters());

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
