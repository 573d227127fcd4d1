using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>One migrated, empty metadata database of one engine, with its repositories; disposing deletes it.</summary>
internal abstract class StorageUnderTest : IAsyncDisposable
{
    public abstract IMetadataDatabase Database { get; }

    public abstract ITokenRepository Tokens { get; }

    public abstract IBlobRepository Blobs { get; }

    public abstract IProposalRepository Proposals { get; }

    public abstract IRequestLogRepository RequestLog { get; }

    public abstract ISessionRepository Sessions { get; }

    public abstract IAuditRepository Audit { get; }

    public abstract IConfigRepository Config(TimeProvider time);

    /// <summary>Another handle on the same database, as a second broker instance sharing it would have.</summary>
    public abstract IMetadataDatabase OpenAnother();

    public abstract IConfigRepository ConfigOf(IMetadataDatabase other);

    /// <summary>Rows in <c>schema_version</c>.</summary>
    public abstract Task<long> SchemaVersionRowsAsync();

    /// <summary>The agents' stored creation times, by name.</summary>
    public abstract Task<IReadOnlyDictionary<string, DateTimeOffset>> AgentCreationTimesAsync();

    public abstract int LatestVersion { get; }

    public abstract ValueTask DisposeAsync();
}
