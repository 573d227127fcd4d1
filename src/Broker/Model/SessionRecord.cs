namespace AgentVault.Broker.Model;

/// <summary>
/// A person's sign-in (SPEC §14): to the console (a cookie) or the CLI (<c>agent-vault login</c>). Stored by the SHA-256 hash
/// of its token only, so neither the database nor a memory dump holds a usable token; shared by every instance, so ending a
/// session on one ends it on all.
/// </summary>
public sealed record SessionRecord
{
    public const string Console = "console";
    public const string Cli = "cli";

    /// <summary>Public identifier, <c>ses_…</c> (for listing and revoking; not a credential).</summary>
    public required string Id { get; init; }

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public required string TokenHash { get; init; }

    /// <summary><see cref="Console"/> or <see cref="Cli"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Who acts: a person's email, or <c>admin-token</c> for a console sign-in with the admin token.</summary>
    public required string Actor { get; init; }

    /// <summary>The verified email of a person signed in through OIDC; null for an admin-token sign-in.</summary>
    public string? Email { get; init; }

    /// <summary>The ID token's <c>groups</c> at sign-in.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When it was signed out or revoked; null while it may be live.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    public override string ToString() => $"session {Id} of {Actor} ({Kind})";
}
