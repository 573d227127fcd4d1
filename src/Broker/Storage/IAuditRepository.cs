using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>The audit trail (SPEC §14): appended, queried, trimmed to the request log's retention.</summary>
public interface IAuditRepository
{
    /// <summary>Appends <paramref name="entry"/>; returns it with its id.</summary>
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching <paramref name="query"/>: after <see cref="AuditQuery.After"/> oldest first (to follow), else newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes all but the newest <paramref name="keep"/> entries.</summary>
    Task TrimAsync(long keep, CancellationToken cancellationToken);
}

/// <summary>A filter on the audit trail; <see cref="Vaults"/> (when not null) limits it to entries of those vaults.</summary>
public sealed record AuditQuery
{
    public long? After { get; init; }

    public long? Before { get; init; }

    public string? Vault { get; init; }

    public string? Actor { get; init; }

    /// <summary>An action, or a prefix ending in a dot (<c>proposal.</c>).</summary>
    public string? Action { get; init; }

    public IReadOnlyCollection<string>? Vaults { get; init; }

    /// <summary>With <see cref="Vaults"/>: entries of this actor are shown too, whatever their vault (a person's own sign-ins).</summary>
    public string? AlsoActor { get; init; }

    public int Limit { get; init; } = 100;
}
