namespace AgentVault.Broker.Documents;

/// <summary>A configuration document that cannot be read (bad YAML, several documents, too deep, too large); the message says where and why.</summary>
internal sealed class DocumentFormatException : Exception
{
    public DocumentFormatException(string message)
        : base(message)
    {
    }

    public DocumentFormatException()
        : this("the document cannot be read")
    {
    }

    public DocumentFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
