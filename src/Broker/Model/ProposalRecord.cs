namespace AgentVault.Broker.Model;

/// <summary>
/// A change an agent asked for (SPEC §12): services and credential references for one vault, waiting for a person. The
/// <see cref="Changes"/> hold names, hosts and references only; an agent cannot put a secret value in a proposal (a
/// credential is a reference or a description).
/// </summary>
public sealed record ProposalRecord
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";

    /// <summary>Public identifier, <c>prp_…</c>.</summary>
    public required string Id { get; init; }

    public required string Vault { get; init; }

    /// <summary>The proposing agent.</summary>
    public required string Agent { get; init; }

    /// <summary>As stored: <see cref="Pending"/>, <see cref="Approved"/> or <see cref="Rejected"/>; use <see cref="StatusAt"/> to see expiry.</summary>
    public required string Status { get; init; }

    /// <summary>Why the agent asks, in its words (shown to people as text, never as markup).</summary>
    public required string Message { get; init; }

    /// <summary>The proposed <c>services</c> and <c>credentials</c> as JSON (see <c>Proposals/ProposalChanges</c>).</summary>
    public required string Changes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Who approved or rejected (<c>admin</c> today).</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The reason given for a rejection.</summary>
    public string? Reason { get; init; }

    /// <summary>The status a reader sees at <paramref name="now"/>: a pending proposal past its expiry is <see cref="Expired"/>.</summary>
    public string StatusAt(DateTimeOffset now) => Status == Pending && now >= ExpiresAt ? Expired : Status;
}
