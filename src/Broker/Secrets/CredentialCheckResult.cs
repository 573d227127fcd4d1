namespace AgentVault.Broker.Secrets;

/// <summary>Outcome of resolving one credential for <c>vault credential check</c>; never carries the value.</summary>
public sealed record CredentialCheckResult(string Key, bool Ok, string? Error);
