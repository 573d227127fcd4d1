namespace AgentVault.Broker.Secrets;

/// <summary>A vault credential prepared for the hot path: parsed reference, cache key and policy, or why it cannot resolve.</summary>
internal sealed record CredentialBinding(string Vault, string Key, CredentialReference? Reference, CacheKey CacheKey, CachePolicy Policy, string? Error);
