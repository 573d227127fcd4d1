using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Persists the configuration document (stores, vaults with credentials and services, agents).
/// The document is small; callers load it, change it, validate the whole, and save it back in one transaction.
/// </summary>
public interface IConfigRepository
{
    Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored configuration with <paramref name="document"/> atomically and bumps the change version.</summary>
    Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken);

    /// <summary>A counter bumped by every write (configuration or tokens); instances sharing a database poll it.</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken);
}
