using System.Data;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Storage;

/// <summary>Token hashes in the <c>tokens</c> table; every write bumps the change version.</summary>
internal sealed class SqliteTokenRepository(SqliteDatabase database) : ITokenRepository
{
    public async Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TokenRows.ListAsync(connection, null, SqliteDatabase.ReadTime, cancellationToken);
    }

    public async Task InsertAsync(TokenRecord token, CancellationToken cancellationToken) =>
        await WriteAsync(TokenRows.Insert(token, SqliteDatabase.FormatTime), cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await WriteAsync(TokenRows.Revoke(id, SqliteDatabase.FormatTime(at)), cancellationToken) > 0;

    public Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(TokenRows.RevokeAgent(agent, SqliteDatabase.FormatTime(at)), cancellationToken);

    private async Task<int> WriteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var rows = await SqliteDatabase.ExecuteAsync(connection, transaction, statement, cancellationToken);
        if (rows > 0)
        {
            await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}
