using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>The configuration document in normalized PostgreSQL tables (stores, vaults, credentials, services, agents), order preserved by position.</summary>
internal sealed class PostgresConfigRepository(PostgresDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken) => (await LoadVersionedAsync(cancellationToken)).Document;

    public async Task<VersionedConfig> LoadVersionedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var version = await PostgresDatabase.GetConfigVersionAsync(connection, transaction, cancellationToken);
        var document = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new VersionedConfig(document, version);
    }

    public Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken) => SaveCoreAsync(document, null, cancellationToken);

    public Task<ConfigSaveResult> SaveAsync(ConfigDocument document, long expectedVersion, CancellationToken cancellationToken) =>
        SaveCoreAsync(document, expectedVersion, cancellationToken);

    public Task<long> GetVersionAsync(CancellationToken cancellationToken) => database.GetVersionAsync(cancellationToken);

    private async Task<ConfigSaveResult> SaveCoreAsync(ConfigDocument document, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);

        // The write holds the version row's lock (FOR UPDATE), so the conditional bump sees the latest committed version:
        // of two instances that loaded the same version, the second waits for the first to commit, then matches no row.
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var bump = ConfigDocumentStatements.BumpConfigVersion(expectedVersion);
        if (await write.ExecuteAsync(bump.Sql, cancellationToken, bump.Parameters) == 0)
        {
            return new ConfigSaveResult(false, await PostgresDatabase.GetConfigVersionAsync(write.Connection, write.Transaction, cancellationToken));
        }

        await write.ExecuteAsync(ConfigDocumentStatements.Clear, cancellationToken);

        await using var batch = new NpgsqlBatch(write.Connection, write.Transaction);
        foreach (var statement in ConfigDocumentStatements.For(document, time.GetUtcNow()))
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var (name, value) in statement.Parameters)
            {
                command.Parameters.Add(PostgresDatabase.Parameter(name, value));
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var saved = await PostgresDatabase.GetConfigVersionAsync(write.Connection, write.Transaction, cancellationToken);
        await write.CommitAsync(changed: true, cancellationToken);
        return new ConfigSaveResult(true, saved);
    }
}
