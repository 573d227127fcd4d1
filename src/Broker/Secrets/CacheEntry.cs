using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// The cache slot of one (store, path): the last good value, a remembered not-found, and the one fetch in flight that
/// concurrent misses join (single flight), and why the last fetch failed when the store was unavailable. Reads are
/// lock-free; only starting a fetch takes the lock.
/// </summary>
internal sealed class CacheEntry
{
    private readonly Lock _gate = new();
    private Task<CachedValue>? _inflight;
    private volatile CachedValue? _value;
    private volatile NegativeResult? _negative;
    private volatile string? _unavailable;
    private long _lastUsedTicks;
    private long _lastStaleLogTicks;

    public CachedValue? Value
    {
        get => _value;
        set => _value = value;
    }

    public NegativeResult? Negative
    {
        get => _negative;
        set => _negative = value;
    }

    /// <summary>The error of the last fetch when the store was unavailable; null after a success or another kind of failure.</summary>
    public string? LastUnavailable => _unavailable;

    public DateTimeOffset LastUsed => new(Volatile.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>Records a use; written at most once a second so hot entries do not bounce a cache line between cores.</summary>
    public void Touch(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (ticks - Volatile.Read(ref _lastUsedTicks) >= TimeSpan.TicksPerSecond)
        {
            Volatile.Write(ref _lastUsedTicks, ticks);
        }
    }

    /// <summary>True at most once per <paramref name="interval"/>: stale serves are logged, not once per request.</summary>
    public bool ShouldLogStale(DateTimeOffset now, TimeSpan interval)
    {
        var last = Volatile.Read(ref _lastStaleLogTicks);
        return now.UtcTicks - last >= interval.Ticks && Interlocked.CompareExchange(ref _lastStaleLogTicks, now.UtcTicks, last) == last;
    }

    public bool IsFetching
    {
        get
        {
            lock (_gate)
            {
                return _inflight is not null;
            }
        }
    }

    /// <summary>Joins the fetch in flight, or starts <paramref name="fetch"/>; a successful result becomes <see cref="Value"/>.</summary>
    public Task<CachedValue> JoinOrStart<TState>(Func<TState, Task<CachedValue>> fetch, TState state)
    {
        TaskCompletionSource<CachedValue> tcs;
        lock (_gate)
        {
            if (_inflight is { } running)
            {
                return running;
            }

            tcs = new TaskCompletionSource<CachedValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inflight = tcs.Task;
        }

        _ = RunAsync(tcs, fetch, state);
        return tcs.Task;
    }

    private async Task RunAsync<TState>(TaskCompletionSource<CachedValue> tcs, Func<TState, Task<CachedValue>> fetch, TState state)
    {
        try
        {
            var value = await fetch(state).ConfigureAwait(false);
            _value = value;
            _negative = null;
            _unavailable = null;
            Finish();
            tcs.SetResult(value);
        }
        catch (Exception ex)
        {
            // Handed to every waiter; the fetch itself classified and counted it.
            _unavailable = ex is SecretStoreException { Category: SecretErrorCategory.Unavailable } unavailable ? unavailable.Message : null;
            Finish();
            tcs.SetException(ex);
        }
    }

    private void Finish()
    {
        lock (_gate)
        {
            _inflight = null;
        }
    }
}
