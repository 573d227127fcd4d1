namespace AgentVault.Abstractions.Secrets;

/// <summary>The one exception type of store operations; its message names paths and causes, never secret values.</summary>
public sealed class SecretStoreException : Exception
{
    /// <summary>Creates the exception with a category and a message free of secrets.</summary>
    public SecretStoreException(SecretErrorCategory category, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
    }

    /// <summary>Why the operation failed.</summary>
    public SecretErrorCategory Category { get; }
}
