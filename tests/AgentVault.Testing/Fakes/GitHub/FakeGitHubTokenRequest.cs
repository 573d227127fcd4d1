using System.Text.Json.Nodes;

namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>One call to <c>POST /app/installations/{id}/access_tokens</c> as the fake received it, and its answer status.</summary>
public sealed record FakeGitHubTokenRequest(
    long InstallationId, string? Accept, string? ApiVersion, string? UserAgent, JsonObject? Body, int Status);
