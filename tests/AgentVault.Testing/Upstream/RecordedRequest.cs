
namespace AgentVault.Testing.Upstream;

/// <summary>One request as the upstream received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Authorization)
{
    /// <summary>The token of a <c>Bearer</c> Authorization value, else the whole value.</summary>
    public string BearerToken => Authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? Authorization["Bearer ".Length..] : Authorization;
}
