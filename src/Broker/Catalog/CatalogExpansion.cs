using AgentVault.Broker.Model;

namespace AgentVault.Broker.Catalog;

/// <summary>What a template expands to: services ready for a vault, and the credential keys (after any renaming) they use.</summary>
internal sealed record CatalogExpansion(IReadOnlyList<ServiceDefinition> Services, IReadOnlyList<CatalogCredential> Credentials)
{
    /// <summary>The keys the vault must define before the services are valid (optional ones left out).</summary>
    public IReadOnlyList<string> RequiredKeys => Credentials.Where(c => c.Optional != true).Select(c => c.Key).ToList();
}
