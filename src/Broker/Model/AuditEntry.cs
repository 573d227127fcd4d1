namespace AgentVault.Broker.Model;

/// <summary>
/// One entry of the audit trail (SPEC §14): a management change or a decision. Names and references only, never a value.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Ascending; assigned by the database.</summary>
    public long Id { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary><c>admin-token</c>, a person's email, or <c>agent:NAME</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>What was done, dotted: <c>service.put</c>, <c>proposal.approve</c>, <c>session.sign_in</c> …</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to: a path-like name, e.g. <c>vaults/dev/services/github</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The vault it concerns, when one (for per-vault viewing).</summary>
    public string? Vault { get; init; }

    /// <summary>One line for people; names and references, never values.</summary>
    public required string Summary { get; init; }
}
