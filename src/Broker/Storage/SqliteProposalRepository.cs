using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Storage;

/// <summary>Proposals in the <c>proposals</c> table; writes leave the change version alone (a proposal changes nothing yet).</summary>
internal sealed class SqliteProposalRepository(SqliteDatabase database) : IProposalRepository
{
    public Task<IReadOnlyList<ProposalRecord>> ListAsync(string? vault, int limit, CancellationToken cancellationToken) =>
        QueryAsync(ProposalRows.List(vault, Math.Max(0, limit)), cancellationToken);

    public async Task<ProposalRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        await QueryAsync(ProposalRows.Get(id), cancellationToken) is [var found, ..] ? found : null;

    public async Task<bool> TryInsertAsync(ProposalRecord proposal, int maxPending, int maxPerAgent, CancellationToken cancellationToken) =>
        await ExecuteAsync(ProposalRows.TryInsert(proposal, maxPending, maxPerAgent, SqliteDatabase.FormatTime), cancellationToken) > 0;

    public async Task<bool> UndoApprovalAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync(ProposalRows.UndoApproval(id), cancellationToken) > 0;

    public async Task<bool> TryDecideAsync(string id, string status, DateTimeOffset at, string decidedBy, string? reason, CancellationToken cancellationToken) =>
        await ExecuteAsync(ProposalRows.TryDecide(id, status, SqliteDatabase.FormatTime(at), decidedBy, reason), cancellationToken) > 0;

    private async Task<IReadOnlyList<ProposalRecord>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.QueryAsync(connection, null, statement.Sql, r => ProposalRows.Read(r, SqliteDatabase.ReadTime), cancellationToken,
            [.. statement.Parameters.Select(p => ("@" + p.Name, p.Value))]);
    }

    private async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.ExecuteAsync(connection, null, statement.Sql, cancellationToken, [.. statement.Parameters.Select(p => ("@" + p.Name, p.Value))]);
    }
}
