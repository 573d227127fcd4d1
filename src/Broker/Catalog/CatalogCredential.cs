namespace AgentVault.Broker.Catalog;

/// <summary>A credential key a template's services use, with a one-line description of the value to store.</summary>
internal sealed record CatalogCredential
{
    /// <summary>The suggested key (UPPER_SNAKE_CASE); the admin may map it to another key when adding the template.</summary>
    public required string Key { get; init; }

    public required string Description { get; init; }

    /// <summary>True when the services work without it (an AWS session token for long-term keys).</summary>
    public bool? Optional { get; init; }
}
