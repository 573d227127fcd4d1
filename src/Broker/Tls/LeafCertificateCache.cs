using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Tls;

/// <summary>
/// Leaf certificates by host name: each name is minted once even under concurrency (a <see cref="Lazy{T}"/> per entry),
/// renewed a week before it expires, and the cache is bounded (it is cleared when full; minting is cheap).
/// </summary>
internal sealed class LeafCertificateCache(Func<string, X509Certificate2> create, TimeProvider time, int capacity = LeafCertificateCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, Lazy<X509Certificate2>> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public X509Certificate2 Get(string hostName)
    {
        while (true)
        {
            if (_entries.TryGetValue(hostName, out var existing))
            {
                var certificate = Value(hostName, existing);
                if (new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - time.GetUtcNow() > RenewBefore)
                {
                    return certificate;
                }

                var renewed = NewEntry(hostName);
                if (_entries.TryUpdate(hostName, renewed, existing))
                {
                    return Value(hostName, renewed);
                }

                continue;
            }

            if (_entries.Count >= capacity)
            {
                // Certificates still in use by a handshake stay valid objects; only the cache forgets them.
                _entries.Clear();
            }

            var entry = _entries.GetOrAdd(hostName, NewEntry(hostName));
            return Value(hostName, entry);
        }
    }

    private Lazy<X509Certificate2> NewEntry(string hostName) => new(() => create(hostName), LazyThreadSafetyMode.ExecutionAndPublication);

    private X509Certificate2 Value(string hostName, Lazy<X509Certificate2> entry)
    {
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failed mint is not cached: the next request tries again.
            _entries.TryRemove(new KeyValuePair<string, Lazy<X509Certificate2>>(hostName, entry));
            throw;
        }
    }
}
