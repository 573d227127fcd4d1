using System.Data.Common;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>proposals</c> table's columns and statements, shared by both engines.</summary>
internal static class ProposalRows
{
    public const string Columns = "id, vault, agent, status, message, changes, created_at, expires_at, decided_at, decided_by, reason";

    public static ProposalRecord Read(DbDataReader r, TimeColumnReader time)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(time);
        return new()
        {
            Id = r.GetString(0),
            Vault = r.GetString(1),
            Agent = r.GetString(2),
            Status = r.GetString(3),
            Message = r.GetString(4),
            Changes = r.GetString(5),
            CreatedAt = time(r, 6),
            ExpiresAt = time(r, 7),
            DecidedAt = r.IsDBNull(8) ? null : time(r, 8),
            DecidedBy = SqlDatabase.ReadText(r, 9),
            Reason = SqlDatabase.ReadText(r, 10),
        };
    }

    /// <summary>Turns an approval claimed before its configuration write back to pending, when that write did not happen.</summary>
    public static SqlStatement UndoApproval(string id) =>
        new("UPDATE proposals SET status = 'pending', decided_at = NULL, decided_by = NULL WHERE id = @id AND status = 'approved';", ("id", id));

    public static SqlStatement List(string? vault, int limit) => vault is null
        ? new($"SELECT {Columns} FROM proposals ORDER BY created_at DESC, id LIMIT @limit;", ("limit", limit))
        : new($"SELECT {Columns} FROM proposals WHERE vault = @vault ORDER BY created_at DESC, id LIMIT @limit;", ("vault", vault), ("limit", limit));

    public static SqlStatement Get(string id) => new($"SELECT {Columns} FROM proposals WHERE id = @id;", ("id", id));

    /// <summary>Inserts only while the vault has fewer than <paramref name="maxPending"/> live pending proposals, and their agent fewer than <paramref name="maxPerAgent"/> of them.</summary>
    public static SqlStatement TryInsert(ProposalRecord p, int maxPending, int maxPerAgent, Func<DateTimeOffset, object> time)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(time);
        return new(
            $"""
            INSERT INTO proposals ({Columns})
            SELECT @id, @vault, @agent, @status, @message, @changes, @created, @expires, NULL, NULL, NULL
            WHERE (SELECT COUNT(*) FROM proposals WHERE vault = @vault AND status = 'pending' AND expires_at > @created) < @max
              AND (SELECT COUNT(*) FROM proposals WHERE vault = @vault AND agent = @agent AND status = 'pending' AND expires_at > @created) < @max_agent;
            """,
            ("id", p.Id), ("vault", p.Vault), ("agent", p.Agent), ("status", p.Status), ("message", p.Message), ("changes", p.Changes),
            ("created", time(p.CreatedAt)), ("expires", time(p.ExpiresAt)), ("max", maxPending), ("max_agent", maxPerAgent));
    }

    public static SqlStatement TryDecide(string id, string status, object at, string decidedBy, string? reason) => new(
        "UPDATE proposals SET status = @status, decided_at = @at, decided_by = @by, reason = @reason WHERE id = @id AND status = 'pending' AND expires_at > @at;",
        ("id", id), ("status", status), ("at", at), ("by", decidedBy), ("reason", reason));
}
