using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>Creates agent and scoped proxy tokens; only the SHA-256 hash is stored.</summary>
internal sealed class TokenIssuer(ITokenRepository tokens, TimeProvider time)
{
    public const string AgentKind = "agent";

    public const string ScopedKind = "scoped";

    public async Task<IssuedToken> IssueAsync(string agent, string kind, string? vault, string? label, TimeSpan? ttl, DateTimeOffset? notAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? expires = ttl is { } t ? now + t : null;
        if (notAfter is { } limit && (expires is null || expires > limit))
        {
            expires = limit;
        }

        var token = TokenGenerator.NewProxyToken();
        var record = new TokenRecord
        {
            Id = TokenGenerator.NewTokenId(),
            Hash = TokenHasher.Hash(token),
            Agent = agent,
            Kind = kind,
            Vault = vault,
            Label = label,
            CreatedAt = now,
            ExpiresAt = expires,
        };
        await tokens.InsertAsync(record, cancellationToken);
        return new IssuedToken(record, token);
    }
}
