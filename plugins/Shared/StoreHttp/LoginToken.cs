namespace AgentVault.Plugins.StoreHttp;

/// <summary>A token a store plugin obtained by logging in: value, lifetime, and whether renewing it is still worth it.</summary>
public sealed class LoginToken
{
    public LoginToken(string value, TimeSpan ttl, bool renewable, DateTimeOffset issuedAt)
    {
        Value = value;
        Ttl = ttl;
        Renewable = renewable;
        IssuedAt = issuedAt;
    }

    public string Value { get; }

    /// <summary>The lifetime the server granted; zero for a token that never expires.</summary>
    public TimeSpan Ttl { get; }

    public bool Renewable { get; }

    public DateTimeOffset IssuedAt { get; }

    public DateTimeOffset ExpiresAt => Ttl <= TimeSpan.Zero ? DateTimeOffset.MaxValue : IssuedAt + Ttl;

    /// <summary>Two thirds into its lifetime the token is renewed (or replaced by a new login).</summary>
    public DateTimeOffset RefreshAfter => Ttl <= TimeSpan.Zero ? DateTimeOffset.MaxValue : IssuedAt + (Ttl * 2 / 3);

    /// <summary>Shows the shape only, never the token.</summary>
    public override string ToString() => $"LoginToken(ttl: {Ttl}, renewable: {Renewable})";
}
