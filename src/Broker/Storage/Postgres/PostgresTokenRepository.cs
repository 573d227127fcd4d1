using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>Token hashes in the <c>tokens</c> table; every write bumps the change version.</summary>
internal sealed class PostgresTokenRepository(PostgresDatabase database) : ITokenRepository
{
    public async Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TokenRows.ListAsync(connection, null, PostgresDatabase.ReadTime, cancellationToken);
    }

    public async Task InsertAsync(TokenRecord token, CancellationToken cancellationToken) =>
        await WriteAsync(TokenRows.Insert(token, time => time), cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await WriteAsync(TokenRows.Revoke(id, at), cancellationToken) > 0;

    public Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(TokenRows.RevokeAgent(agent, at), cancellationToken);

    private async Task<int> WriteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginWriteAsync(cancellationToken);
        var rows = await transaction.ExecuteAsync(statement.Sql, cancellationToken, statement.Parameters);
        await transaction.CommitAsync(rows > 0, cancellationToken);
        return rows;
    }
}
