namespace AgentVault.Broker.Model;

/// <summary>
/// One entry of <c>access:</c> (SPEC §14): a person (by <see cref="Email"/>) or everyone in an ID-token group (by
/// <see cref="Group"/>) gets <see cref="Role"/>: <c>owner</c> of everything, or <c>admin</c>, <c>editor</c> or
/// <c>viewer</c> of <see cref="Vault"/>.
/// </summary>
public sealed record AccessRule
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    public string? Email { get; init; }

    public string? Group { get; init; }

    public string? Vault { get; init; }

    public string? Role { get; init; }
}
