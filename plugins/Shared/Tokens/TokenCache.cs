using AgentVault.Abstractions.Diagnostics;

namespace AgentVault.Plugins.Tokens;

/// <summary>
/// Holds one minted token per scheme instance. The token is keyed by a fingerprint of the credential values it was minted
/// from, so a rotated credential mints a new token; refreshes are single flight (one mint at a time, waiters reuse it).
/// Each mint is a <c>token.mint</c> span of the request that needed it (<see cref="PluginTelemetry"/>).
/// </summary>
public sealed class TokenCache : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly string _grant;
    private volatile Entry? _entry;

    /// <param name="time">The clock for freshness.</param>
    /// <param name="grant">What this cache mints (e.g. <c>client-credentials</c>), for the mint's span.</param>
    public TokenCache(TimeProvider time, string grant)
    {
        _time = time;
        _grant = grant;
    }

    /// <summary>Returns the cached token for <paramref name="fingerprint"/> while fresh, else mints one (one caller at a time).</summary>
    public async Task<AccessToken> GetAsync(string fingerprint, Func<CancellationToken, Task<AccessToken>> mint, CancellationToken cancellationToken)
    {
        if (Fresh(fingerprint) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(fingerprint) is { } minted)
            {
                return minted;
            }

            using var span = PluginTelemetry.StartMint(_grant);
            try
            {
                var token = await mint(cancellationToken);
                _entry = new Entry(fingerprint, token);
                return token;
            }
            catch (Exception ex)
            {
                PluginTelemetry.Fail(span, ex);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the cached token (the upstream rejected it).</summary>
    public void Invalidate() => _entry = null;

    public void Dispose() => _gate.Dispose();

    private AccessToken? Fresh(string fingerprint)
    {
        var entry = _entry;
        return entry is not null && string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal) && _time.GetUtcNow() < entry.Token.RefreshAt
            ? entry.Token
            : null;
    }

    private sealed record Entry(string Fingerprint, AccessToken Token);
}
