using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Persists the configuration document (stores, vaults with credentials and services, agents).
/// The document is small; callers load it with its version, change it, validate the whole, and save it back in one transaction
/// on condition that the version has not moved (compare-and-swap), so two writers never overwrite each other's changes.
/// </summary>
public interface IConfigRepository
{
    Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The document and its configuration version, read in one transaction.</summary>
    Task<VersionedConfig> LoadVersionedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored configuration with <paramref name="document"/> atomically, whatever it holds now, and bumps the
    /// configuration and change versions. Only for a caller that owns the database (tests, seeding); edits use the overload
    /// with an expected version.
    /// </summary>
    Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored configuration with <paramref name="document"/> only if the configuration version is still
    /// <paramref name="expectedVersion"/>: the check and the bump are one conditional update inside the writing transaction,
    /// so of two writers that loaded the same version exactly one saves. Returns the new version, or the current one when refused
    /// (nothing was written).
    /// </summary>
    Task<ConfigSaveResult> SaveAsync(ConfigDocument document, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>A counter bumped by every write (configuration or tokens); instances sharing a database poll it.</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken);
}
