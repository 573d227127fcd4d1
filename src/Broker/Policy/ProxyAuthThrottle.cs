using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace AgentVault.Broker.Policy;

/// <summary>
/// Limits failed proxy authentications per presented token and per client address (IPv4 /32, IPv6 /64).
/// Use: verify; on success proceed (an address's failures never block a valid token, since many sandboxes share one NAT
/// address); on failure answer 429 <c>rate_limited</c> at once when the token is locked (<see cref="IsTokenLocked"/>),
/// else call <see cref="RecordFailure"/> and answer 429 instead of 407 when it says so.
/// </summary>
internal sealed class ProxyAuthThrottle : IDisposable
{
    private const int MaxLocks = 10_000;

    private readonly PartitionedRateLimiter<string> _tokens;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly RateLimitSpec _tokenSpec;
    private readonly RateLimitSpec _addressSpec;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _locked = new(StringComparer.Ordinal);

    /// <summary>Defaults: 10 failures per token per minute, 30 failures per address per minute (token buckets of that size).</summary>
    public ProxyAuthThrottle()
        : this(new RateLimitSpec(10, TimeSpan.FromMinutes(1)), new RateLimitSpec(30, TimeSpan.FromMinutes(1)), TimeProvider.System)
    {
    }

    public ProxyAuthThrottle(RateLimitSpec perToken, RateLimitSpec perAddress, TimeProvider time)
    {
        _time = time;
        _tokenSpec = perToken;
        _addressSpec = perAddress;
        _tokens = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => perToken.ToTokenBucket(perToken.Count)));
        _addresses = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => perAddress.ToTokenBucket(perAddress.Count)));
    }

    /// <summary>True when <paramref name="tokenKey"/> (a hash of the presented token, never the token) failed too often lately.</summary>
    public bool IsTokenLocked(string? tokenKey, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (tokenKey is null || !_locked.TryGetValue(tokenKey, out var until))
        {
            return false;
        }

        retryAfter = until - _time.GetUtcNow();
        if (retryAfter > TimeSpan.Zero)
        {
            return true;
        }

        _locked.TryRemove(KeyValuePair.Create(tokenKey, until));
        return false;
    }

    /// <summary>Records a failed authentication; returns the Retry-After to answer with (429) when a limit is exceeded, else null (407).</summary>
    public TimeSpan? RecordFailure(string? tokenKey, IPAddress? address)
    {
        using (var addressLease = _addresses.AttemptAcquire(AddressKey(address)))
        {
            if (!addressLease.IsAcquired)
            {
                // Already throttled: do not create per-token state for every garbage token an attacker sends.
                return addressLease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _addressSpec.Window / _addressSpec.Count;
            }
        }

        if (tokenKey is null)
        {
            return null;
        }

        using var tokenLease = _tokens.AttemptAcquire(tokenKey);
        if (tokenLease.IsAcquired)
        {
            return null;
        }

        var retry = tokenLease.TryGetMetadata(MetadataName.RetryAfter, out var wait2) ? wait2 : _tokenSpec.Window / _tokenSpec.Count;
        var now = _time.GetUtcNow();
        if (_locked.Count >= MaxLocks)
        {
            // Expired locks are otherwise only dropped when their token comes back; keep the map bounded under attack.
            foreach (var (key, until) in _locked)
            {
                if (until <= now)
                {
                    _locked.TryRemove(KeyValuePair.Create(key, until));
                }
            }
        }

        _locked[tokenKey] = now + retry;
        return retry;
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _addresses.Dispose();
    }

    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
