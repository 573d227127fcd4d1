namespace AgentVault.Fuzz;

/// <summary>A parser accepted an input but what it returned breaks a property it promises: a crash, like an unexpected exception.</summary>
internal sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
