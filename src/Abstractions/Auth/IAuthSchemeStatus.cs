namespace AgentVault.Abstractions.Auth;

/// <summary>
/// Optional: an auth scheme that has something to tell the operator about a credential it uses (for example that the
/// stored refresh token is stale because the server rotated it). The broker shows the notices in
/// <c>vault credential check</c>. Implementing it is not required.
/// </summary>
public interface IAuthSchemeStatus
{
    /// <summary>The current notices; empty when there is nothing to report. Read from any thread.</summary>
    IReadOnlyList<AuthSchemeNotice> Notices { get; }
}
