namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>A token obtained by login: value, when it ends, when to renew it, and whether Vault lets us renew it.</summary>
internal sealed class VaultToken
{
    public VaultToken(string value, TimeSpan ttl, bool renewable, DateTimeOffset issuedAt)
    {
        Value = value;
        Ttl = ttl;
        Renewable = renewable;
        IssuedAt = issuedAt;
    }

    public string Value { get; }

    /// <summary>The lease duration Vault granted; zero for a token that never expires.</summary>
    public TimeSpan Ttl { get; }

    public bool Renewable { get; }

    public DateTimeOffset IssuedAt { get; }

    public DateTimeOffset ExpiresAt => Ttl <= TimeSpan.Zero ? DateTimeOffset.MaxValue : IssuedAt + Ttl;

    /// <summary>Two thirds into its lifetime the token is renewed (or replaced by a new login).</summary>
    public DateTimeOffset RefreshAfter => Ttl <= TimeSpan.Zero ? DateTimeOffset.MaxValue : IssuedAt + (Ttl * 2 / 3);

    /// <summary>Shows the shape only, never the token.</summary>
    public override string ToString() => $"VaultToken(ttl: {Ttl}, renewable: {Renewable})";
}
