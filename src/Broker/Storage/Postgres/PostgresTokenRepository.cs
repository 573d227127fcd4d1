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

    public async Task InsertAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await WriteAsync(
            write => write.ExecuteAsync(
                $"INSERT INTO tokens ({TokenRows.Columns}) VALUES (@id, @hash, @agent, @kind, @vault, @label, @created, @expires, @revoked);", cancellationToken,
                ("id", token.Id), ("hash", token.Hash), ("agent", token.Agent), ("kind", token.Kind), ("vault", token.Vault), ("label", token.Label),
                ("created", token.CreatedAt), ("expires", token.ExpiresAt), ("revoked", token.RevokedAt)),
            cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Revoking an already revoked token keeps the first revocation time and still reports the token as known.
        var known = await WriteAsync(
            write => write.ExecuteAsync("UPDATE tokens SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @id;", cancellationToken, ("id", id), ("at", at)),
            cancellationToken);
        return known > 0;
    }

    public Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            write => write.ExecuteAsync("UPDATE tokens SET revoked_at = @at WHERE agent = @agent AND revoked_at IS NULL;", cancellationToken, ("agent", agent), ("at", at)),
            cancellationToken);

    private async Task<int> WriteAsync(Func<PostgresWrite, Task<int>> write, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginWriteAsync(cancellationToken);
        var rows = await write(transaction);
        await transaction.CommitAsync(rows > 0, cancellationToken);
        return rows;
    }
}
