using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>Agents' proposals (SPEC §12). Writes do not bump the change version: a proposal changes nothing until it is approved.</summary>
public interface IProposalRepository
{
    /// <summary>Newest first, optionally of one vault; at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ProposalRecord>> ListAsync(string? vault, int limit, CancellationToken cancellationToken);

    Task<ProposalRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts <paramref name="proposal"/> unless its vault already has <paramref name="maxPending"/> proposals pending and
    /// unexpired at <paramref name="proposal"/>'s creation time, or its agent <paramref name="maxPerAgent"/> of them there
    /// (checked and inserted in one statement); false when refused.
    /// </summary>
    Task<bool> TryInsertAsync(ProposalRecord proposal, int maxPending, int maxPerAgent, CancellationToken cancellationToken);

    /// <summary>Reverts an approval recorded before its configuration write, when that write failed; false when it was not approved.</summary>
    Task<bool> UndoApprovalAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a proposal that is still pending and unexpired at <paramref name="at"/> to <paramref name="status"/>; false when
    /// it is unknown, already decided or expired (one conditional update, so two deciders never both win).
    /// </summary>
    Task<bool> TryDecideAsync(string id, string status, DateTimeOffset at, string decidedBy, string? reason, CancellationToken cancellationToken);
}
