using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Security;
using AgentVault.Broker.Snapshots;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Verifies proxy credentials against the token-hash index of the current <see cref="BrokerSnapshot"/> (no database round
/// trip per request). Revoked tokens vanish from the next index; expiry is checked per request.
/// </summary>
internal sealed class AgentAuthenticator
{
    private readonly SnapshotPublisher _snapshots;
    private readonly TimeProvider _time;
    private readonly ProxyAuthThrottle _throttle;

    public AgentAuthenticator(SnapshotPublisher snapshots, TimeProvider time, ProxyAuthThrottle throttle)
    {
        _throttle = throttle;
        _snapshots = snapshots;
        _time = time;
    }

    /// <summary>Authenticates one request; on failure <paramref name="refusal"/> is a 407 or 404 problem.</summary>
    /// <remarks>Failed attempts count against the presented token and <paramref name="client"/> (egress policy: 429 past the limit; a valid token always passes).</remarks>
    public bool TryAuthenticate(string? header, AuthCache? cache, out AgentIdentity identity, out ProxyRefusal refusal, IPAddress? client = null) =>
        TryAuthenticate(header, cache, out identity, out refusal, out _, client);

    /// <summary>
    /// As above; <paramref name="agent"/> names the agent whenever the token was valid, also when the request is refused
    /// (a vault the token may not use), so that refusal is an authenticated agent's and goes to the request log.
    /// </summary>
    public bool TryAuthenticate(string? header, AuthCache? cache, out AgentIdentity identity, out ProxyRefusal refusal, out string? agent, IPAddress? client = null) =>
        TryAuthenticate(_snapshots.Current.Tokens, header, cache, out identity, out refusal, out agent, client);

    /// <summary>As above, against the token index of the snapshot the request already holds.</summary>
    public bool TryAuthenticate(TokenIndex index, string? header, AuthCache? cache, out AgentIdentity identity, out ProxyRefusal refusal, out string? agent, IPAddress? client = null)
    {
        refusal = default;
        agent = null;
        if (cache?.Current is { } memo && ReferenceEquals(memo.Index, index) && string.Equals(memo.Header, header, StringComparison.Ordinal))
        {
            identity = memo.Identity;
            agent = identity.Agent;
            if (!IsExpired(memo.Entry))
            {
                return true;
            }

            agent = null;
            refusal = Invalid();
            return false;
        }

        identity = null!;
        if (!ProxyCredentials.TryParse(header, out var token, out var vault))
        {
            refusal = new ProxyRefusal(ProxyError.ProxyAuthRequired, string.IsNullOrEmpty(header)
                ? "Proxy authentication required: use HTTPS_PROXY=http://TOKEN:VAULT@HOST:PORT (agent-vault run sets it)."
                : "Proxy-Authorization must be 'Basic base64(token:vault)', 'Basic base64(token)' or 'Bearer token'.");
            if (!string.IsNullOrEmpty(header))
            {
                refusal = Throttled(null, client) ?? refusal;
            }

            return false;
        }

        var hash = Hash(token);
        var entry = index.Find(hash);
        if (entry is null || !TokenHasher.FixedTimeEquals(entry.Hash, hash) || IsExpired(entry))
        {
            // A token locked for failing too often is answered 429 at once; its repeats no longer count against the address.
            refusal = _throttle.IsTokenLocked(hash, out var locked)
                ? new ProxyRefusal(ProxyError.RateLimited, "Too many failed proxy authentications; retry later.", locked)
                : Throttled(hash, client) ?? Invalid();
            return false;
        }

        agent = entry.Agent;
        var chosen = string.IsNullOrEmpty(vault) ? entry.DefaultVault : vault;
        if (chosen is null)
        {
            refusal = new ProxyRefusal(ProxyError.VaultNotFound,
                "This token can use several vaults; name one as the proxy password (HTTPS_PROXY=http://TOKEN:VAULT@HOST:PORT).");
            return false;
        }

        if (!entry.Vaults.Contains(chosen))
        {
            refusal = new ProxyRefusal(ProxyError.VaultNotFound, "Vault '" + Printable(chosen) + "' does not exist or this token may not use it.");
            return false;
        }

        identity = new AgentIdentity(entry.Agent, chosen, entry.Id);
        cache?.Set(new AuthCache.Memo(header, index, entry, identity));

        return true;
    }

    // Egress policy (issue 6): failed proxy authentications are limited per presented token and per client address.
    private ProxyRefusal? Throttled(string? tokenHash, IPAddress? client) =>
        _throttle.RecordFailure(tokenHash, client) is { } retryAfter
            ? new ProxyRefusal(ProxyError.RateLimited, "Too many failed proxy authentications; retry later.", retryAfter)
            : null;

    private static ProxyRefusal Invalid() =>
        new(ProxyError.ProxyAuthRequired, "The proxy token is unknown, revoked or expired.");

    private bool IsExpired(TokenEntry entry) => entry.ExpiresAt is { } expires && expires <= _time.GetUtcNow();

    private static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var written = Encoding.UTF8.GetBytes(token, bytes);
        SHA256.HashData(bytes[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    // The vault name comes from the agent: keep it short and printable before echoing it in a problem detail.
    private static string Printable(string value)
    {
        var trimmed = value.Length > 64 ? value[..64] : value;
        return trimmed.All(c => c is >= ' ' and < (char)0x7f && c != '\'') ? trimmed : "(invalid name)";
    }
}
