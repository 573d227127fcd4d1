using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Tls;

/// <summary>
/// Leaf certificates by host name: each name is minted once even under concurrency (a <see cref="Lazy{T}"/> per entry,
/// minted outside the lock), renewed a week before it expires, and bounded as an LRU: when full, the least recently used
/// name is forgotten, so a flood of new names never evicts the hosts in steady use.
/// </summary>
internal sealed class LeafCertificateCache(Func<string, X509Certificate2> create, TimeProvider time, int capacity = LeafCertificateCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);

    // Most recently used first.
    private readonly LinkedList<Entry> _recency = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public X509Certificate2 Get(string hostName)
    {
        var entry = Touch(hostName, stale: null);
        var certificate = Value(entry);
        if (new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - time.GetUtcNow() > RenewBefore)
        {
            return certificate;
        }

        return Value(Touch(hostName, stale: entry));
    }

    // Finds (and marks as most recent) the entry of hostName, adding one when there is none or when it is still the
    // stale one being renewed; evicts from the least recent end beyond capacity. Certificates still in use by a handshake
    // stay valid objects; only the cache forgets them.
    private Entry Touch(string hostName, Entry? stale)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(hostName, out var node))
            {
                _recency.Remove(node);
                if (!ReferenceEquals(node.Value, stale))
                {
                    _recency.AddFirst(node);
                    return node.Value;
                }

                _entries.Remove(hostName);
            }

            var entry = new Entry(hostName, new Lazy<X509Certificate2>(() => create(hostName), LazyThreadSafetyMode.ExecutionAndPublication));
            _entries[hostName] = _recency.AddFirst(entry);
            while (_entries.Count > Math.Max(1, capacity))
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.HostName);
            }

            return entry;
        }
    }

    private X509Certificate2 Value(Entry entry)
    {
        try
        {
            return entry.Leaf.Value;
        }
        catch
        {
            // A failed mint is not cached: the next request tries again.
            Forget(entry);
            throw;
        }
    }

    private void Forget(Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(entry.HostName, out var node) && ReferenceEquals(node.Value, entry))
            {
                _entries.Remove(entry.HostName);
                _recency.Remove(node);
            }
        }
    }

    private sealed record Entry(string HostName, Lazy<X509Certificate2> Leaf);
}
