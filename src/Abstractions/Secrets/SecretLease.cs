namespace AgentVault.Abstractions.Secrets;

/// <summary>A lease on a dynamic secret (e.g. Vault <c>database/creds/role</c>).</summary>
/// <param name="Id">The lease identifier the store understands.</param>
/// <param name="Duration">How long the lease lasts from <paramref name="IssuedAt"/>.</param>
/// <param name="Renewable">Whether the store allows renewing it.</param>
/// <param name="IssuedAt">When the lease was issued or last renewed.</param>
public sealed record SecretLease(string Id, TimeSpan Duration, bool Renewable, DateTimeOffset IssuedAt)
{
    /// <summary>When the lease ends.</summary>
    public DateTimeOffset ExpiresAt => IssuedAt + Duration;
}
