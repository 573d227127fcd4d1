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

    public async Task InsertAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await WriteAsync(
            (connection, transaction) => SqliteDatabase.ExecuteAsync(
                connection, transaction, $"INSERT INTO tokens ({TokenRows.Columns}) VALUES ($id, $hash, $agent, $kind, $vault, $label, $created, $expires, $revoked);", cancellationToken,
                ("$id", token.Id), ("$hash", token.Hash), ("$agent", token.Agent), ("$kind", token.Kind), ("$vault", token.Vault), ("$label", token.Label),
                ("$created", SqliteDatabase.FormatTime(token.CreatedAt)), ("$expires", Time(token.ExpiresAt)), ("$revoked", Time(token.RevokedAt))),
            cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Revoking an already revoked token keeps the first revocation time and still reports the token as known.
        var known = await WriteAsync(
            (connection, transaction) => SqliteDatabase.ExecuteAsync(
                connection, transaction, "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id;", cancellationToken, ("$id", id), ("$at", SqliteDatabase.FormatTime(at))),
            cancellationToken);
        return known > 0;
    }

    public Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) => SqliteDatabase.ExecuteAsync(
                connection, transaction, "UPDATE tokens SET revoked_at = $at WHERE agent = $agent AND revoked_at IS NULL;", cancellationToken, ("$agent", agent), ("$at", SqliteDatabase.FormatTime(at))),
            cancellationToken);

    private async Task<int> WriteAsync(Func<SqliteConnection, SqliteTransaction, Task<int>> write, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var rows = await write(connection, transaction);
        if (rows > 0)
        {
            await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? SqliteDatabase.FormatTime(t) : null;
}
