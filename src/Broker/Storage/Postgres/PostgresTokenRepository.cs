using AgentVault.Broker.Model;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>Token hashes in the <c>tokens</c> table; every write bumps the change version.</summary>
internal sealed class PostgresTokenRepository(PostgresDatabase database) : ITokenRepository
{
    private const string Columns = "id, hash, agent, kind, vault, label, created_at, expires_at, revoked_at";

    public async Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListAsync(connection, null, cancellationToken);
    }

    public async Task InsertAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await WriteAsync(
            write => write.ExecuteAsync(
                $"INSERT INTO tokens ({Columns}) VALUES (@id, @hash, @agent, @kind, @vault, @label, @created, @expires, @revoked);", cancellationToken,
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

    internal static async Task<IReadOnlyList<TokenRecord>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        await PostgresDatabase.QueryAsync(connection, transaction, $"SELECT {Columns} FROM tokens ORDER BY created_at, id;", Read, cancellationToken);

    private async Task<int> WriteAsync(Func<PostgresWrite, Task<int>> write, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginWriteAsync(cancellationToken);
        var rows = await write(transaction);
        await transaction.CommitAsync(rows > 0, cancellationToken);
        return rows;
    }

    private static TokenRecord Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Hash = r.GetString(1),
        Agent = r.GetString(2),
        Kind = r.GetString(3),
        Vault = PostgresDatabase.ReadText(r, 4),
        Label = PostgresDatabase.ReadText(r, 5),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(6),
        ExpiresAt = PostgresDatabase.ReadTime(r, 7),
        RevokedAt = PostgresDatabase.ReadTime(r, 8),
    };
}
