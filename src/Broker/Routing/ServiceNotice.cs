namespace AgentVault.Broker.Routing;

/// <summary>A scheme's notice about a credential key, with the service whose scheme raised it; never holds a value.</summary>
internal sealed record ServiceNotice(string Service, string CredentialKey, string Message);
