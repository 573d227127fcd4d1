using System.Collections.Concurrent;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.OAuth2;

/// <summary>
/// Process-wide registry of <see cref="RefreshTokenChain"/>s, owned by the scheme factory so a rotated refresh token
/// survives the scheme being re-created on a configuration change, and two services using the same stored refresh token
/// share one chain. Keyed by a fingerprint of the token URL, the client id and the STORED refresh token: when the operator
/// stores a new refresh token, its chain starts from the stored value again.
/// </summary>
internal sealed class RefreshTokenChains
{
    private readonly ConcurrentDictionary<string, RefreshTokenChain> _chains = new(StringComparer.Ordinal);

    public RefreshTokenChain For(Uri tokenUrl, string clientId, string storedRefreshToken) =>
        _chains.GetOrAdd(CredentialFingerprint.Of(tokenUrl.AbsoluteUri, clientId, storedRefreshToken), _ => new RefreshTokenChain());
}
