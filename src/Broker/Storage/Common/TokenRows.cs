using System.Data.Common;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>tokens</c> table's columns and the mapping of one of its rows to a <see cref="TokenRecord"/>.</summary>
internal static class TokenRows
{
    public const string Columns = "id, hash, agent, kind, vault, label, created_at, expires_at, revoked_at, vault_id, minted_by";

    /// <summary>Maps a row selected with <see cref="Columns"/>.</summary>
    public static TokenRecord Read(DbDataReader r, TimeColumnReader time)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(time);
        return new()
        {
            Id = r.GetString(0),
            Hash = r.GetString(1),
            Agent = r.GetString(2),
            Kind = r.GetString(3),
            Vault = SqlDatabase.ReadText(r, 4),
            Label = SqlDatabase.ReadText(r, 5),
            CreatedAt = time(r, 6),
            ExpiresAt = r.IsDBNull(7) ? null : time(r, 7),
            RevokedAt = r.IsDBNull(8) ? null : time(r, 8),
            VaultId = SqlDatabase.ReadText(r, 9),
            MintedBy = SqlDatabase.ReadText(r, 10),
        };
    }

    /// <summary>Every token, oldest first (the order the configuration state keeps).</summary>
    public static async Task<IReadOnlyList<TokenRecord>> ListAsync(DbConnection connection, DbTransaction? transaction, TimeColumnReader time, CancellationToken cancellationToken) =>
        await SqlDatabase.QueryAsync(connection, transaction, $"SELECT {Columns} FROM tokens ORDER BY created_at, id;", r => Read(r, time), cancellationToken);

    /// <summary>Inserts <paramref name="token"/>; <paramref name="time"/> encodes a time the way the engine stores it.</summary>
    public static SqlStatement Insert(TokenRecord token, Func<DateTimeOffset, object> time)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(time);
        return new(
            $"INSERT INTO tokens ({Columns}) VALUES (@id, @hash, @agent, @kind, @vault, @label, @created, @expires, @revoked, @vault_id, @minted_by);",
            ("id", token.Id), ("hash", token.Hash), ("agent", token.Agent), ("kind", token.Kind), ("vault", token.Vault), ("label", token.Label),
            ("created", time(token.CreatedAt)), ("expires", token.ExpiresAt is { } expires ? time(expires) : null), ("revoked", token.RevokedAt is { } revoked ? time(revoked) : null),
            ("vault_id", token.VaultId), ("minted_by", token.MintedBy));
    }

    /// <summary>
    /// Revokes one token and the live scoped tokens it minted; an already revoked token keeps its first revocation time and
    /// still counts as a row.
    /// </summary>
    public static SqlStatement Revoke(string id, object at) =>
        new("UPDATE tokens SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @id OR (minted_by = @id AND revoked_at IS NULL);", ("id", id), ("at", at));

    /// <summary>Revokes every live token of an agent.</summary>
    public static SqlStatement RevokeAgent(string agent, object at) => new("UPDATE tokens SET revoked_at = @at WHERE agent = @agent AND revoked_at IS NULL;", ("agent", agent), ("at", at));
}
