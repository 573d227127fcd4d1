using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Management;

/// <summary>Creates agent and scoped proxy tokens; only the SHA-256 hash is stored.</summary>
internal sealed class TokenIssuer(ITokenRepository tokens, TimeProvider time)
{
    public const string AgentKind = TokenRecord.AgentKind;

    public const string ScopedKind = TokenRecord.ScopedKind;

    public Task<IssuedToken> IssueAsync(string agent, string kind, string? vault, string? label, TimeSpan? ttl, DateTimeOffset? notAfter, CancellationToken cancellationToken) =>
        InsertAsync(new TokenRecord { Id = string.Empty, Hash = string.Empty, Agent = agent, Kind = kind, Vault = vault, Label = label, CreatedAt = default }, ttl, notAfter, cancellationToken);

    /// <summary>
    /// Issues a scoped token bound to <paramref name="vault"/>'s identity and, when <paramref name="mintedBy"/> is an agent token id,
    /// to that token and its agent's grant (null: minted by the admin).
    /// </summary>
    public Task<IssuedToken> IssueScopedAsync(string agent, VaultDefinition vault, string? mintedBy, string? label, TimeSpan? ttl, DateTimeOffset? notAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var template = new TokenRecord
        {
            Id = string.Empty,
            Hash = string.Empty,
            Agent = agent,
            Kind = ScopedKind,
            Vault = vault.Name,
            VaultId = vault.Id ?? throw new InvalidOperationException("the vault has no identity; it was not read from the database"),
            MintedBy = mintedBy,
            Label = label,
            CreatedAt = default,
        };
        return InsertAsync(template, ttl, notAfter, cancellationToken);
    }

    private async Task<IssuedToken> InsertAsync(TokenRecord template, TimeSpan? ttl, DateTimeOffset? notAfter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? expires = ttl is { } t ? now + t : null;
        if (notAfter is { } limit && (expires is null || expires > limit))
        {
            expires = limit;
        }

        var token = TokenGenerator.NewProxyToken();
        var record = template with
        {
            Id = TokenGenerator.NewTokenId(),
            Hash = TokenHasher.Hash(token),
            CreatedAt = now,
            ExpiresAt = expires,
        };
        await tokens.InsertAsync(record, cancellationToken);
        return new IssuedToken(record, token);
    }
}
