using AgentVault.Broker.Model;

namespace AgentVault.Broker.Catalog;

/// <summary>
/// A ready-made description of a vendor's API (docs/catalog.md): the services it expands to, the credential keys they use,
/// host parameters and rule presets, and the vendor documentation it was checked against. Read from an embedded YAML file.
/// </summary>
internal sealed record CatalogTemplate
{
    /// <summary>Slug the CLI and proposals name the template by (<c>github</c>, <c>aws-s3</c>).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The vendor's public API documentation the hosts, auth form and paths were checked against.</summary>
    public required List<string> Docs { get; init; }

    /// <summary>Values a host needs (<c>{site}</c> in <c>{site}.atlassian.net</c>); a tenant name is never guessed with a wildcard.</summary>
    public List<CatalogParameter>? Parameters { get; init; }

    /// <summary>Suggested credential keys, each with what to store in it.</summary>
    public required List<CatalogCredential> Credentials { get; init; }

    /// <summary>The services the template expands to, in the configuration-file shape, naming the suggested keys.</summary>
    public required List<ServiceDefinition> Services { get; init; }

    /// <summary>Named rule sets (<c>read-only</c>, …) an admin may pick when adding the template.</summary>
    public Dictionary<string, CatalogPreset>? Presets { get; init; }

    /// <summary>Why there is no <c>read-only</c> preset (a GraphQL-only API cannot tell reads from writes by method and path).</summary>
    public string? NoReadOnly { get; init; }

    /// <summary>The host patterns of the services as written in the template (parameters still in braces).</summary>
    public IReadOnlyList<string> Hosts => Services.Select(s => s.Host).ToList();

    /// <summary>The auth scheme of the services, or the distinct schemes comma-separated when they differ (GitHub REST and git).</summary>
    public string Auth => string.Join(", ", Services.Select(s => s.Auth?["type"]?.GetValue<string>() ?? "none").Distinct(StringComparer.Ordinal));
}
