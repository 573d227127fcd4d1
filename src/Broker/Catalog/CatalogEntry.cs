namespace AgentVault.Broker.Catalog;

/// <summary>
/// A template named inside a request body, e.g. a proposal's <c>services</c> entry
/// <c>{ "catalog": "github", "name"?, "preset"?, "parameters"?: {…}, "hosts"?: {SERVICE: HOST}, "keys"?: {TEMPLATE_KEY: KEY} }</c>
/// (snake_case JSON, read with the model's JSON options); <see cref="ServiceCatalog.Expand(CatalogEntry, IReadOnlySet{string}?)"/> turns it into services.
/// </summary>
internal sealed record CatalogEntry
{
    /// <summary>The template id.</summary>
    public required string Catalog { get; init; }

    public string? Name { get; init; }

    public string? Preset { get; init; }

    public Dictionary<string, string>? Parameters { get; init; }

    public Dictionary<string, string>? Hosts { get; init; }

    public Dictionary<string, string>? Keys { get; init; }

    public CatalogExpandOptions ToOptions(IReadOnlySet<string>? optionalKeys) => new()
    {
        Name = Name,
        Preset = Preset,
        Parameters = Parameters,
        Hosts = Hosts,
        Keys = Keys,
        OptionalKeys = optionalKeys,
    };
}
