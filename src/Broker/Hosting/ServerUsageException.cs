namespace AgentVault.Broker.Hosting;

/// <summary>A bad flag or environment value of <c>agent-vault server</c>: printed as one line, exit code 2.</summary>
internal sealed class ServerUsageException(string message) : Exception(message);
