using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>The metadata database itself (SQLite or PostgreSQL): schema migrations and the consistent snapshot the configuration state is built from.</summary>
internal interface IMetadataDatabase
{
    /// <summary>Brings the schema to the latest version; safe to run again and from several instances at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The change version (bumped by every configuration or token write).</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>Version, configuration and tokens read in one transaction, so they are consistent with each other.</summary>
    Task<ConfigState> LoadStateAsync(CancellationToken cancellationToken);
}
