namespace AgentVault.Broker.Access;

/// <summary>
/// Who sent a management request: its <see cref="Actor"/> is what the audit trail records (<c>admin-token</c>, a person's
/// email, or <c>agent:NAME</c>). A person's rights are not stored here: they are read from the current <c>access:</c> rules
/// on every request (<see cref="AccessPolicy"/>), so a changed rule takes effect at once.
/// </summary>
public sealed record Caller(CallerKind Kind, string Actor, IReadOnlyList<string> Groups, string? SessionId)
{
    public const string AdminTokenActor = "admin-token";

    /// <summary>The admin token itself (no session).</summary>
    public static Caller AdminToken { get; } = new(CallerKind.AdminToken, AdminTokenActor, [], null);

    public static Caller Agent(string name) => new(CallerKind.Agent, "agent:" + name, [], null);

    /// <summary>The person's email (lower case), or null for the admin token and agents.</summary>
    public string? Email => Kind == CallerKind.Person ? Actor : null;
}
