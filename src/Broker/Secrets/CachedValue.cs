using System.Collections.Concurrent;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>One successful store read, immutable except for the memo of selected JSON fields and the refresh-ahead claim.</summary>
internal sealed class CachedValue
{
    private ConcurrentDictionary<string, string>? _jsonFields;
    private int _refreshClaimed;

    public CachedValue(SecretValue secret, DateTimeOffset fetchedAt, SecretLease? lease, DateTimeOffset? expiresAt, TimeSpan expiryMargin)
    {
        Secret = secret;
        FetchedAt = fetchedAt;
        Lease = lease;
        ExpiresAt = expiresAt;
        if (expiresAt is { } end)
        {
            var lifetime = end - (lease?.IssuedAt ?? fetchedAt);
            var margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, expiryMargin.Ticks));
            ExpiryBound = end - margin;
        }
    }

    public SecretValue Secret { get; }

    public DateTimeOffset FetchedAt { get; }

    public SecretLease? Lease { get; }

    /// <summary>When the value stops working (lease end or the store's expiry); never served past it.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Shortly before <see cref="ExpiresAt"/>: the value is re-read (or its lease renewed) by then.</summary>
    public DateTimeOffset? ExpiryBound { get; }

    public static CachedValue From(SecretValue secret, DateTimeOffset fetchedAt, TimeSpan expiryMargin)
    {
        var expires = secret.ExpiresAt;
        if (secret.Lease is { } lease && (expires is null || lease.ExpiresAt < expires))
        {
            expires = lease.ExpiresAt;
        }

        return new CachedValue(secret, fetchedAt, secret.Lease, expires, expiryMargin);
    }

    /// <summary>The same value with a renewed lease (the fetch time is kept, the expiry moves).</summary>
    public CachedValue WithLease(SecretLease lease, TimeSpan expiryMargin)
    {
        var expires = Secret.ExpiresAt is { } own && own > lease.ExpiresAt ? own : lease.ExpiresAt;
        return new CachedValue(Secret, FetchedAt, lease, expires, expiryMargin) { _jsonFields = _jsonFields };
    }

    /// <summary>
    /// Until when a credential with <paramref name="policy"/> may use the value without asking the store. A leased value
    /// ignores the store TTL (re-reading would mint a new lease) and lives until shortly before its lease ends.
    /// </summary>
    public DateTimeOffset FreshUntil(in CachePolicy policy)
    {
        var ttlBound = policy.CredentialTtl is { } own ? FetchedAt + own
            : Lease is null ? FetchedAt + policy.StoreTtl
            : DateTimeOffset.MaxValue;
        return ExpiryBound is { } bound && bound < ttlBound ? bound : ttlBound;
    }

    /// <summary>When a hit starts a background re-read; never for a renewable lease, which is renewed instead.</summary>
    public DateTimeOffset RefreshAfter(in CachePolicy policy, double fraction)
    {
        var fresh = FreshUntil(policy);
        if (Lease is { Renewable: true })
        {
            return DateTimeOffset.MaxValue;
        }

        return fresh == DateTimeOffset.MaxValue ? fresh : FetchedAt + ((fresh - FetchedAt) * fraction);
    }

    /// <summary>Until when the value may be served while the store fails: fresh end plus max-stale, never past the expiry.</summary>
    public DateTimeOffset StaleUntil(in CachePolicy policy)
    {
        var fresh = FreshUntil(policy);
        var stale = fresh == DateTimeOffset.MaxValue || DateTimeOffset.MaxValue - fresh < policy.MaxStale ? DateTimeOffset.MaxValue : fresh + policy.MaxStale;
        return ExpiresAt is { } end && end < stale ? end : stale;
    }

    /// <summary>True for the one caller that may start the refresh-ahead of this value.</summary>
    public bool TryClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;

    /// <summary>Selects a field (see <see cref="SecretFieldSelector"/>); JSON fields are parsed once per value.</summary>
    public string? Select(string? field, out string? error)
    {
        error = null;
        if (field is null && Secret.Value is { } whole)
        {
            return whole;
        }

        if (field is not null && Secret.Fields.TryGetValue(field, out var direct))
        {
            return direct;
        }

        var key = field ?? string.Empty;
        if (_jsonFields is { } memo && memo.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var selected = SecretFieldSelector.Select(Secret, field, out error);
        if (selected is not null)
        {
            var dict = _jsonFields ?? Interlocked.CompareExchange(ref _jsonFields, new ConcurrentDictionary<string, string>(StringComparer.Ordinal), null) ?? _jsonFields!;
            dict.TryAdd(key, selected);
        }

        return selected;
    }
}
