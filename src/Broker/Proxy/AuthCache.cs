using AgentVault.Broker.Model;
using AgentVault.Broker.Snapshots;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Per-connection memo of the last successful authentication, so keep-alive and HTTP/2 requests that present the same
/// <c>Proxy-Authorization</c> skip parsing and hashing while the token snapshot is unchanged. Expiry is re-checked every time.
/// The memo is one immutable object swapped atomically, so concurrent HTTP/2 streams never see a torn pair.
/// </summary>
internal sealed class AuthCache
{
    private volatile Memo? _memo;

    public Memo? Current => _memo;

    public void Set(Memo memo) => _memo = memo;

    internal sealed record Memo(string? Header, TokenIndex Index, TokenEntry Entry, AgentIdentity Identity);
}
