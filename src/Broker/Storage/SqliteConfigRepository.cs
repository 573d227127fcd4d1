using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Storage;

/// <summary>The configuration document in normalized SQLite tables (stores, vaults, credentials, services, agents, notifications), order preserved by position.</summary>
internal sealed class SqliteConfigRepository(SqliteDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken) => (await LoadVersionedAsync(cancellationToken)).Document;

    public async Task<VersionedConfig> LoadVersionedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var version = await SqliteDatabase.GetConfigVersionAsync(connection, transaction, cancellationToken);
        var document = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new VersionedConfig(document, version);
    }

    public Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken) => SaveCoreAsync(document, null, cancellationToken);

    public Task<ConfigSaveResult> SaveAsync(ConfigDocument document, long expectedVersion, CancellationToken cancellationToken) =>
        SaveCoreAsync(document, expectedVersion, cancellationToken);

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.GetVersionAsync(connection, null, cancellationToken);
    }

    private async Task<ConfigSaveResult> SaveCoreAsync(ConfigDocument document, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var connection = await database.OpenAsync(cancellationToken);

        // Serializable is BEGIN IMMEDIATE: the write lock is taken before the version is compared, so the check and the save are one step.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        if (await SqliteDatabase.ExecuteAsync(connection, transaction, ConfigDocumentStatements.BumpConfigVersion(expectedVersion), cancellationToken) == 0)
        {
            var current = await SqliteDatabase.GetConfigVersionAsync(connection, transaction, cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return new ConfigSaveResult(false, current);
        }

        await SqliteDatabase.ExecuteAsync(connection, transaction, ConfigDocumentStatements.Clear, cancellationToken);
        foreach (var statement in ConfigDocumentStatements.For(document, SqliteDatabase.FormatTime(time.GetUtcNow())))
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, statement, cancellationToken);
        }

        await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        var saved = await SqliteDatabase.GetConfigVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConfigSaveResult(true, saved);
    }
}
