namespace AgentVault.Plugins.GitHubApp;

/// <summary>An installation access token and its expiry as GitHub stated it; <see cref="ToString"/> never shows the token.</summary>
internal sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"InstallationToken(expires {ExpiresAt:O})";
}
