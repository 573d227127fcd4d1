namespace AgentVault.Broker.Errors;

/// <summary>A request the proxy refuses: the error and a detail for the agent (never a secret).</summary>
internal readonly record struct ProxyRefusal(ProxyError Error, string Detail, TimeSpan? RetryAfter = null);
