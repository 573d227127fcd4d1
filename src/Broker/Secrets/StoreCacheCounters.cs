namespace AgentVault.Broker.Secrets;

/// <summary>Lookup counts of one store since the broker started; incremented with <see cref="Interlocked"/>, never under a lock.</summary>
internal sealed class StoreCacheCounters
{
    private long _hits;
    private long _misses;
    private long _staleServes;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long StaleServes => Interlocked.Read(ref _staleServes);

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss() => Interlocked.Increment(ref _misses);

    public void StaleServe() => Interlocked.Increment(ref _staleServes);
}
