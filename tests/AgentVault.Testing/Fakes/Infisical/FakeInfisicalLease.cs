namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>A lease on a dynamic secret issued by the fake Infisical.</summary>
public sealed class FakeInfisicalLease
{
    public required string Id { get; init; }

    public required string DynamicSecret { get; init; }

    public required string Environment { get; init; }

    public required string Folder { get; init; }

    public required string Username { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpireAt { get; set; }

    public required TimeSpan MaxTtl { get; init; }

    public int Renewals { get; set; }

    /// <summary>Identifiers only.</summary>
    public override string ToString() => $"FakeInfisicalLease({Id}, {Username}, until {ExpireAt:O})";
}
