namespace AgentVault.Broker.Operations;

/// <summary>An expected failure of migrate, backup, restore or doctor: one line for the operator, never a secret in it.</summary>
internal sealed class OperationsException : Exception
{
    public OperationsException(string message)
        : base(message)
    {
    }

    public OperationsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OperationsException()
        : this("operation failed")
    {
    }
}
