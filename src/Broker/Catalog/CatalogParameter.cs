namespace AgentVault.Broker.Catalog;

/// <summary>A value a template's hosts need, written <c>{name}</c> in a host (<c>{site}.atlassian.net</c>).</summary>
internal sealed record CatalogParameter
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Used when the admin gives no value (<c>datadoghq.com</c> for the Datadog site); without it the value is required.</summary>
    public string? Default { get; init; }

    public string? Example { get; init; }
}
