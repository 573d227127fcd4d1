namespace AgentVault.Testing.Fakes.Vault;

/// <summary>A lease of a dynamic database credential issued by the fake Vault.</summary>
public sealed class FakeVaultLease
{
    public required string Id { get; init; }

    public required string Role { get; init; }

    public required string Username { get; init; }

    internal string Password { get; init; } = string.Empty;

    public required DateTimeOffset ExpiresAt { get; set; }

    public required DateTimeOffset MaxExpiresAt { get; init; }

    public required bool Renewable { get; init; }

    public int Renewals { get; set; }

    /// <summary>Shows identifiers only.</summary>
    public override string ToString() => $"FakeVaultLease({Id}, {Username}, until {ExpiresAt:O})";
}
