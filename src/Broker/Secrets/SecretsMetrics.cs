using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Secrets;

/// <summary>Counters of the secret cache on the meter <c>AgentVault.Secrets</c>, each tagged with the store name.</summary>
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

    public void Hit(string store) => _hits.Add(1, new KeyValuePair<string, object?>("store", store));

    public void Miss(string store) => _misses.Add(1, new KeyValuePair<string, object?>("store", store));

    public void StaleServe(string store) => _staleServes.Add(1, new KeyValuePair<string, object?>("store", store));

    public void NegativeHit(string store) => _negativeHits.Add(1, new KeyValuePair<string, object?>("store", store));

    public void StoreError(string store, string category) =>
        _storeErrors.Add(1, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("category", category));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
