namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>An installation token the fake issued: what it grants and until when.</summary>
public sealed record FakeGitHubToken(
    string Value, DateTimeOffset ExpiresAt, IReadOnlyList<string> Repositories, IReadOnlyDictionary<string, string> Permissions)
{
    /// <summary>Set when the token was revoked (<see cref="FakeGitHubServer.RevokeTokens"/>).</summary>
    public bool Revoked { get; set; }

    public override string ToString() => $"FakeGitHubToken(expires {ExpiresAt:O}, {Repositories.Count} repositories)";
}
