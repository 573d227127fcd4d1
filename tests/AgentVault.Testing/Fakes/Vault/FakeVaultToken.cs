namespace AgentVault.Testing.Fakes.Vault;

/// <summary>A token known to the fake Vault.</summary>
internal sealed class FakeVaultToken
{
    public required string Value { get; init; }

    public required DateTimeOffset IssuedAt { get; set; }

    /// <summary>Zero for a token that never expires (the root token).</summary>
    public required TimeSpan Ttl { get; set; }

    public required TimeSpan MaxTtl { get; init; }

    public required bool Renewable { get; init; }

    /// <summary>API path prefixes the token may use; null allows everything.</summary>
    public IReadOnlyList<string>? AllowedPrefixes { get; init; }

    public bool Revoked { get; set; }

    public bool IsValid(DateTimeOffset now) => !Revoked && (Ttl <= TimeSpan.Zero || now < IssuedAt + Ttl);

    public bool Allows(string path) =>
        AllowedPrefixes is null || path.StartsWith("auth/token/", StringComparison.Ordinal) || AllowedPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));
}
