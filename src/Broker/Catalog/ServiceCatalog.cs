namespace AgentVault.Broker.Catalog;

/// <summary>
/// The service catalog (docs/catalog.md): the templates embedded in the binary, read once. Other features (proposals
/// naming a template, the CLI) find a template by id and expand it into services with <see cref="Expand"/>.
/// </summary>
internal sealed class ServiceCatalog
{
    private static readonly Lazy<ServiceCatalog> Embedded = new(() => new ServiceCatalog(CatalogTemplateReader.ReadEmbedded()));

    private readonly Dictionary<string, CatalogTemplate> _byId;

    public ServiceCatalog(IReadOnlyList<CatalogTemplate> templates)
    {
        All = templates.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        _byId = new Dictionary<string, CatalogTemplate>(StringComparer.Ordinal);
        foreach (var template in All)
        {
            if (!_byId.TryAdd(template.Id, template))
            {
                throw new CatalogException($"two catalog templates have the id '{template.Id}'");
            }
        }
    }

    /// <summary>The catalog built into this binary (also for the CLI, without a server).</summary>
    public static ServiceCatalog Default => Embedded.Value;

    /// <summary>Every template, ordered by id.</summary>
    public IReadOnlyList<CatalogTemplate> All { get; }

    public CatalogTemplate? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The services <paramref name="template"/> expands to and the credential keys they need; see <see cref="CatalogExpandOptions"/>.</summary>
    public static CatalogExpansion Expand(CatalogTemplate template, CatalogExpandOptions? options = null) =>
        CatalogExpander.Expand(template, options);

    /// <summary>
    /// Expands a template named in a request body; <paramref name="optionalKeys"/> are the template's optional keys to use
    /// (e.g. those the vault already has). An unknown id is a <see cref="CatalogException"/> like every other problem.
    /// </summary>
    public CatalogExpansion Expand(CatalogEntry entry, IReadOnlySet<string>? optionalKeys = null) =>
        Find(entry.Catalog) is { } template
            ? CatalogExpander.Expand(template, entry.ToOptions(optionalKeys))
            : throw new CatalogException($"the catalog has no template '{entry.Catalog}'");
}
