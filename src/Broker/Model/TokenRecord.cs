namespace AgentVault.Broker.Model;

/// <summary>A stored proxy token: only its SHA-256 hash is kept. Agent tokens cover the agent's vaults; scoped tokens one vault.</summary>
public sealed record TokenRecord
{
    /// <summary>The <see cref="Kind"/> of an agent's own token (covers the agent's vaults).</summary>
    public const string AgentKind = "agent";

    /// <summary>The <see cref="Kind"/> of a short-lived token for one vault.</summary>
    public const string ScopedKind = "scoped";

    /// <summary>Public identifier (e.g. <c>tok_…</c>), safe to show.</summary>
    public required string Id { get; init; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string Hash { get; init; }

    public required string Agent { get; init; }

    /// <summary><c>agent</c> or <c>scoped</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The one vault of a scoped token; null for agent tokens.</summary>
    public string? Vault { get; init; }

    /// <summary>The <see cref="VaultDefinition.Id"/> of a scoped token's vault when it was minted: the token dies with that vault.</summary>
    public string? VaultId { get; init; }

    /// <summary>The id of the agent token that minted this scoped token; null when the admin minted it.</summary>
    public string? MintedBy { get; init; }

    public string? Label { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
