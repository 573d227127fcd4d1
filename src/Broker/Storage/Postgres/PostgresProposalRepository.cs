using AgentVault.Broker.Model;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>Proposals in the <c>proposals</c> table; writes leave the change version alone (a proposal changes nothing yet).</summary>
internal sealed class PostgresProposalRepository(PostgresDatabase database) : IProposalRepository
{
    public Task<IReadOnlyList<ProposalRecord>> ListAsync(string? vault, int limit, CancellationToken cancellationToken) =>
        QueryAsync(ProposalRows.List(vault, Math.Max(0, limit)), cancellationToken);

    public async Task<ProposalRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        await QueryAsync(ProposalRows.Get(id), cancellationToken) is [var found, ..] ? found : null;

    public async Task<bool> TryInsertAsync(ProposalRecord proposal, int maxPending, int maxPerAgent, CancellationToken cancellationToken)
    {
        // A write transaction holds the change-version row lock, so two instances cannot both take a vault's last pending slot.
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var statement = ProposalRows.TryInsert(proposal, maxPending, maxPerAgent, time => time);
        var rows = await write.ExecuteAsync(statement.Sql, cancellationToken, statement.Parameters);
        await write.CommitAsync(changed: false, cancellationToken);
        return rows > 0;
    }

    public async Task<bool> TryDecideAsync(string id, string status, DateTimeOffset at, string decidedBy, string? reason, CancellationToken cancellationToken) =>
        await ExecuteAsync(ProposalRows.TryDecide(id, status, at, decidedBy, reason), cancellationToken) > 0;

    public async Task<bool> UndoApprovalAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync(ProposalRows.UndoApproval(id), cancellationToken) > 0;

    private async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ExecuteAsync(connection, null, statement.Sql, cancellationToken, statement.Parameters);
    }

    private async Task<IReadOnlyList<ProposalRecord>> QueryAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PostgresDatabase.QueryAsync(connection, null, statement.Sql, r => ProposalRows.Read(r, PostgresDatabase.ReadTime), cancellationToken, statement.Parameters);
    }
}
