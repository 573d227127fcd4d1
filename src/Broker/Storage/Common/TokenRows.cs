using System.Data.Common;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>tokens</c> table's columns and the mapping of one of its rows to a <see cref="TokenRecord"/>.</summary>
internal static class TokenRows
{
    public const string Columns = "id, hash, agent, kind, vault, label, created_at, expires_at, revoked_at";

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
        };
    }

    /// <summary>Every token, oldest first (the order the configuration state keeps).</summary>
    public static async Task<IReadOnlyList<TokenRecord>> ListAsync(DbConnection connection, DbTransaction? transaction, TimeColumnReader time, CancellationToken cancellationToken) =>
        await SqlDatabase.QueryAsync(connection, transaction, $"SELECT {Columns} FROM tokens ORDER BY created_at, id;", r => Read(r, time), cancellationToken);
}
