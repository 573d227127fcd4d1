using System.Collections.Concurrent;
using System.Diagnostics;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// The TTL cache in front of the stores. A hit is a dictionary lookup and a clock read. A miss joins the one fetch in
/// flight for that (store, path). Fetches run under a per-store timeout and circuit breaker; when a store is unavailable
/// the last value is served until its max-stale end; a not-found is remembered briefly.
/// </summary>
internal sealed class SecretCache : IStoreStatistics, IDisposable
{
    private static readonly TimeSpan StaleLogInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new();
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;
    private readonly SecretCacheOptions _options;
    private readonly SecretsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private int _disposed;

    public SecretCache(StoreRegistry registry, TimeProvider time, SecretCacheOptions options, SecretsMetrics metrics, ILogger<SecretCache> logger)
    {
        _registry = registry;
        _time = time;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        Leases = new LeaseManager(registry, time, options, logger);
        _registry.StoreRetired += OnStoreRetired;
    }

    public LeaseManager Leases { get; }

    public SecretCacheOptions Options => _options;

    internal ICollection<KeyValuePair<CacheKey, CacheEntry>> Entries => _entries;

    /// <summary>Returns the selected value for <paramref name="reference"/>; throws <see cref="SecretStoreException"/>.</summary>
    public ValueTask<string> GetAsync(CacheKey key, CredentialReference reference, in CachePolicy policy, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = _entries.GetOrAdd(key, static _ => new CacheEntry());
        }

        var now = _time.GetUtcNow();
        if (entry.Value is { } value && now < value.FreshUntil(policy))
        {
            entry.Touch(now);
            _metrics.Hit(key.Store);
            BrokerTracing.MarkCache(BrokerTracing.CacheHit);
            if (now >= value.RefreshAfter(policy, _options.RefreshAheadFraction) && value.TryClaimRefresh())
            {
                _ = RefreshInBackgroundAsync(entry, key, reference);
            }

            return new ValueTask<string>(SelectOrThrow(value, reference));
        }

        return new ValueTask<string>(MissAsync(entry, key, reference, policy, now, cancellationToken));
    }

    /// <summary>Reads a reference from its store bypassing cache and breaker (for <c>credential check</c>); leases are revoked at once.</summary>
    public async Task<string> ReadUncachedAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        var value = await FetchAsync(new FetchState(this, new CacheKey(reference.Store, reference.CacheKey), reference, UseBreaker: false, Track: false)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (value.Lease is { } lease)
        {
            await Leases.RevokeAsync(new TrackedLease(reference.Store, reference.Path, lease), untrack: false, cancellationToken).ConfigureAwait(false);
        }

        return SelectOrThrow(value, reference);
    }

    public StoreStatistics Get(string store)
    {
        var circuit = _breakers.TryGetValue(store, out var breaker) ? breaker.State(_time.GetUtcNow()) : CircuitState.Closed;
        long entries = 0;
        foreach (var (key, entry) in _entries)
        {
            if (key.Store == store && entry.Value is not null)
            {
                entries++;
            }
        }

        var counts = _metrics.Counts(store);
        return new StoreStatistics(circuit, new StoreCacheStats(entries, counts?.Hits ?? 0, counts?.Misses ?? 0, counts?.StaleServes ?? 0));
    }

    public void Dispose()
    {
        // Registered as itself and as IStoreStatistics, so the container disposes it twice once both were resolved.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _registry.StoreRetired -= OnStoreRetired;
        _shutdown.Cancel();
        _shutdown.Dispose();
    }

    /// <summary>Drops entries unused for <see cref="SecretCacheOptions.IdleEviction"/>; returns their leases for revocation.</summary>
    public List<TrackedLease> EvictIdle(DateTimeOffset now)
    {
        var leases = new List<TrackedLease>();
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LastUsed >= _options.IdleEviction && !entry.IsFetching && _entries.TryRemove(new KeyValuePair<CacheKey, CacheEntry>(key, entry)))
            {
                if (entry.Value?.Lease is { } lease)
                {
                    leases.Add(new TrackedLease(key.Store, key.Path, lease));
                }
            }
        }

        return leases;
    }

    private async Task<string> MissAsync(CacheEntry entry, CacheKey key, CredentialReference reference, CachePolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entry.Negative is { } negative && now < negative.Until)
        {
            _metrics.NegativeHit(key.Store);
            BrokerTracing.MarkCache(BrokerTracing.CacheNegative);
            throw negative.ToException();
        }

        _metrics.Miss(key.Store);
        BrokerTracing.MarkCache(BrokerTracing.CacheMiss);
        if (entry.Value is { } last && entry.LastUnavailable is { } reason && now < last.StaleUntil(policy))
        {
            // The store failed this entry's last read: serve the last value now and retry with one read in the background,
            // so a store that hangs costs one request's wait (the read timeout), not one per request until the circuit opens.
            _ = RefreshInBackgroundAsync(entry, key, reference);
            return ServeStale(entry, key, reference, last, now, reason);
        }

        CachedValue fresh;
        try
        {
            fresh = await entry.JoinOrStart(FetchAsync, new FetchState(this, key, reference, UseBreaker: true, Track: true)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SecretStoreException ex) when (ex.Category == SecretErrorCategory.Unavailable)
        {
            var stale = entry.Value;
            var at = _time.GetUtcNow();
            if (stale is null || at >= stale.StaleUntil(policy))
            {
                throw;
            }

            return ServeStale(entry, key, reference, stale, at, ex.Message);
        }
        catch (SecretStoreException ex) when (ex.Category == SecretErrorCategory.NotFound)
        {
            entry.Negative = new NegativeResult(_time.GetUtcNow() + _options.NegativeTtl, ex.Message);
            throw;
        }

        entry.Touch(_time.GetUtcNow());
        return SelectOrThrow(fresh, reference);
    }

    private string ServeStale(CacheEntry entry, CacheKey key, CredentialReference reference, CachedValue stale, DateTimeOffset now, string reason)
    {
        _metrics.StaleServe(key.Store);
        BrokerTracing.MarkCache(BrokerTracing.CacheStale);
        if (entry.ShouldLogStale(now, StaleLogInterval))
        {
            SecretsLog.ServingStale(_logger, key.Store, reference.Path, reason);
        }

        entry.Touch(now);
        return SelectOrThrow(stale, reference);
    }

    private async Task RefreshInBackgroundAsync(CacheEntry entry, CacheKey key, CredentialReference reference)
    {
        // Not part of the request that happened to trigger it (it outlives it): no span.
        Activity.Current = null;
        try
        {
            await entry.JoinOrStart(FetchAsync, new FetchState(this, key, reference, UseBreaker: true, Track: true)).ConfigureAwait(false);
        }
        catch (SecretStoreException ex)
        {
            // The current value keeps being served; the next miss retries (and may serve it stale).
            SecretsLog.RefreshAheadFailed(_logger, key.Store, reference.Path, ex.Message);
        }
    }

    private static Task<CachedValue> FetchAsync(FetchState state) => state.Cache.FetchCoreAsync(state);

    private async Task<CachedValue> FetchCoreAsync(FetchState state)
    {
        var store = state.Key.Store;
        var slot = _registry.GetSlot(store)
            ?? throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"no store named '{store}' is configured");
        if (slot.Instance is null)
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"store '{store}' is unavailable: {slot.UnavailableReason}");
        }

        var breaker = state.UseBreaker ? _breakers.GetOrAdd(store, _ => new CircuitBreaker(_options.BreakerThreshold, _options.BreakerCooldown)) : null;
        if (breaker is not null && !breaker.TryAcquire(_time.GetUtcNow(), out var retryIn))
        {
            _metrics.StoreError(store, "circuit_open");
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"store '{store}' is failing; not contacting it for {Math.Ceiling(retryIn.TotalSeconds)}s (circuit open)");
        }

        if (!slot.TryEnter())
        {
            breaker?.OnSuccess();
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"store '{store}' is being reconfigured; retry");
        }

        using var timeout = new CancellationTokenSource(_options.FetchTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _shutdown.Token);
        using var span = BrokerTracing.StartStep(BrokerTracing.StoreFetchSpan, ActivityKind.Client);
        span?.SetTag(BrokerTracing.Store, store);
        try
        {
            var secret = await slot.Instance.GetSecretAsync(new SecretRequest(state.Reference.Path, state.Reference.Query), linked.Token).ConfigureAwait(false);
            breaker?.OnSuccess();
            var value = CachedValue.From(secret, _time.GetUtcNow(), _options.ExpiryMargin);
            if (state.Track && value.Lease is { } lease)
            {
                Leases.Track(new TrackedLease(store, state.Key.Path, lease));
            }

            return value;
        }
        catch (SecretStoreException ex)
        {
            _metrics.StoreError(store, ex.Category.ToString());
            BrokerTracing.Fail(span, ex.Category.ToString());
            if (ex.Category == SecretErrorCategory.Unavailable)
            {
                breaker?.OnFailure(_time.GetUtcNow());
            }
            else
            {
                breaker?.OnSuccess();
            }

            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or TimeoutException)
        {
            breaker?.OnFailure(_time.GetUtcNow());
            _metrics.StoreError(store, nameof(SecretErrorCategory.Unavailable));
            BrokerTracing.Fail(span, nameof(SecretErrorCategory.Unavailable));
            var reason = timeout.IsCancellationRequested ? $"timed out after {_options.FetchTimeout.TotalSeconds:0.#}s"
                : _shutdown.IsCancellationRequested ? "the broker is shutting down"
                : $"{ex.GetType().Name}: {ex.Message}";
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"store '{store}' did not answer: {reason}", ex);
        }
        catch (Exception ex) when (ex is not SecretStoreException)
        {
            // A plugin bug: fail closed like an outage; only the type is shown, a message could quote secret material.
            breaker?.OnFailure(_time.GetUtcNow());
            _metrics.StoreError(store, nameof(SecretErrorCategory.Unavailable));
            BrokerTracing.Fail(span, nameof(SecretErrorCategory.Unavailable));
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"store '{store}' failed: {ex.GetType().Name} in the store plugin");
        }
        finally
        {
            slot.Exit();
        }
    }

    private static string SelectOrThrow(CachedValue value, CredentialReference reference) =>
        value.Select(reference.Field, out var error)
        ?? throw new SecretStoreException(SecretErrorCategory.NotFound, $"{error} at '{reference.Path}'");

    private void OnStoreRetired(StoreSlot slot, bool removed)
    {
        _breakers.TryRemove(slot.Name, out _);
        foreach (var (key, entry) in _entries)
        {
            if (key.Store == slot.Name)
            {
                _entries.TryRemove(new KeyValuePair<CacheKey, CacheEntry>(key, entry));
            }
        }

        SecretsLog.StoreCacheDropped(_logger, slot.Name, removed ? "removed" : "reconfigured");
        var leases = Leases.Take(slot.Name);
        if (leases.Count > 0 && slot.Instance is ILeasingSecretStore && slot.TryEnter())
        {
            _ = Leases.RevokeWithAsync(slot, leases, _shutdown.Token);
        }
    }

    private readonly record struct FetchState(SecretCache Cache, CacheKey Key, CredentialReference Reference, bool UseBreaker, bool Track);
}
