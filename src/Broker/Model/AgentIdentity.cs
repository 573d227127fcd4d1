namespace AgentVault.Broker.Model;

/// <summary>Who a proxied request runs as: the agent, the vault it acts in and the token used (its public id only).</summary>
internal sealed record AgentIdentity(string Agent, string Vault, string TokenId);
