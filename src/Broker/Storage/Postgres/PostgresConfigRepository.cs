using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>The configuration document in normalized PostgreSQL tables (stores, vaults, credentials, services, agents), order preserved by position.</summary>
internal sealed class PostgresConfigRepository(PostgresDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var document = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    public async Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var write = await database.BeginWriteAsync(cancellationToken);
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
        await write.CommitAsync(changed: true, cancellationToken);
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken) => database.GetVersionAsync(cancellationToken);
}
