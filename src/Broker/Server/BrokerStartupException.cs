namespace AgentVault.Broker.Server;

/// <summary>A start-up failure the operator can fix (bad password, missing master key, unsupported database); printed as one line, exit code 1.</summary>
public sealed class BrokerStartupException : Exception
{
    public BrokerStartupException()
    {
    }

    public BrokerStartupException(string message)
        : base(message)
    {
    }

    public BrokerStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
