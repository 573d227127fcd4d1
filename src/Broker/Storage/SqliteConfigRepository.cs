using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Storage;

/// <summary>The configuration document in normalized SQLite tables (stores, vaults, credentials, services, agents), order preserved by position.</summary>
internal sealed class SqliteConfigRepository(SqliteDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var document = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    public async Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        await SqliteDatabase.ExecuteAsync(connection, transaction, ConfigDocumentStatements.Clear, cancellationToken);
        foreach (var statement in ConfigDocumentStatements.For(document, SqliteDatabase.FormatTime(time.GetUtcNow())))
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, statement, cancellationToken);
        }

        await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.GetVersionAsync(connection, null, cancellationToken);
    }
}
