using System.Data.Common;
using System.Globalization;
using System.Text;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The <c>audit</c> table, the same SQL on both engines.</summary>
internal sealed class AuditRepository(IStatementRunner runner) : IAuditRepository
{
    private const string Columns = "id, time, actor, action, target, vault, summary";

    public async Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var ids = await runner.QueryAsync(
            new("INSERT INTO audit (time, actor, action, target, vault, summary) VALUES (@time, @actor, @action, @target, @vault, @summary) RETURNING id;",
                ("time", runner.Time(entry.Time)), ("actor", entry.Actor), ("action", entry.Action), ("target", entry.Target), ("vault", entry.Vault), ("summary", entry.Summary)),
            (r, _) => r.GetInt64(0), cancellationToken);
        return entry with { Id = ids[0] };
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {Columns} FROM audit WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Where(string clause, string name, object? value)
        {
            sql.Append(" AND ").Append(clause);
            parameters.Add((name, value));
        }

        if (query.After is { } after)
        {
            Where("id > @after", "after", after);
        }

        if (query.Before is { } before)
        {
            Where("id < @before", "before", before);
        }

        if (query.Vault is { } vault)
        {
            Where("vault = @vault", "vault", vault);
        }

        if (query.Actor is { } actor)
        {
            Where("actor = @actor", "actor", actor);
        }

        if (query.Action is { } action)
        {
            if (action.EndsWith('.'))
            {
                Where("substr(action, 1, @action_length) = @action", "action", action);
                parameters.Add(("action_length", action.Length));
            }
            else
            {
                Where("action = @action", "action", action);
            }
        }

        if (query.Vaults is { } vaults)
        {
            var names = vaults.Select((v, i) => (Name: "v" + i.ToString(CultureInfo.InvariantCulture), Value: v)).ToList();
            var inVaults = names.Count == 0 ? "1 = 0" : $"vault IN ({string.Join(", ", names.Select(n => "@" + n.Name))})";
            sql.Append(query.AlsoActor is null ? $" AND {inVaults}" : $" AND ({inVaults} OR actor = @also_actor)");
            parameters.AddRange(names.Select(n => (n.Name, (object?)n.Value)));
            if (query.AlsoActor is { } self)
            {
                parameters.Add(("also_actor", self));
            }
        }

        sql.Append(query.After is null ? " ORDER BY id DESC" : " ORDER BY id").Append(" LIMIT @limit;");
        parameters.Add(("limit", Math.Clamp(query.Limit, 0, 1000)));
        return await runner.QueryAsync(new(sql.ToString(), [.. parameters]), Read, cancellationToken);
    }

    public Task TrimAsync(long keep, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(new("DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - @keep;", ("keep", keep)), cancellationToken);

    private static AuditEntry Read(DbDataReader r, TimeColumnReader time) => new()
    {
        Id = r.GetInt64(0),
        Time = time(r, 1),
        Actor = r.GetString(2),
        Action = r.GetString(3),
        Target = r.GetString(4),
        Vault = SqlDatabase.ReadText(r, 5),
        Summary = r.GetString(6),
    };
}
