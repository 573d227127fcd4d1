using AgentVault.Broker.Model;

namespace AgentVault.Broker.Catalog;

/// <summary>
/// A named rule set of a template: <see cref="Rules"/> for every service, or <see cref="Services"/> per service name
/// (a template whose services differ, such as the REST API and git over HTTPS).
/// </summary>
internal sealed record CatalogPreset
{
    public required string Description { get; init; }

    public RulesDefinition? Rules { get; init; }

    public Dictionary<string, RulesDefinition>? Services { get; init; }

    /// <summary>The rules this preset sets on the service named <paramref name="service"/>, or null for none.</summary>
    public RulesDefinition? RulesFor(string service) =>
        Services is not null && Services.TryGetValue(service, out var specific) ? specific : Rules;
}
