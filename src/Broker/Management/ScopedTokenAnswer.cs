namespace AgentVault.Broker.Management;

/// <summary>Answer of <c>POST /v1/tokens</c>; the token is shown here once.</summary>
internal sealed record ScopedTokenAnswer(string Id, string Token, string Vault, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"ScopedTokenAnswer {{ Id = {Id}, Vault = {Vault} }}";
}
