namespace AgentVault.Broker.Catalog;

/// <summary>A template cannot be expanded as asked (unknown preset, missing parameter, a key override that is not a key).</summary>
internal sealed class CatalogException : Exception
{
    public CatalogException(string message)
        : base(message)
    {
    }

    public CatalogException()
        : this("the catalog template cannot be expanded")
    {
    }

    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
