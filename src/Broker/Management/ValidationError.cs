namespace AgentVault.Broker.Management;

/// <summary>One problem in a configuration document: a JSON-path-like location (<c>vaults[0].services[1].host</c>) and a readable message that never echoes a secret.</summary>
public sealed record ValidationError(string Path, string Message);
