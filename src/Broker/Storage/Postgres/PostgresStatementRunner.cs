using System.Data.Common;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary><see cref="IStatementRunner"/> on PostgreSQL: times as <c>timestamptz</c>.</summary>
internal sealed class PostgresStatementRunner(PostgresDatabase database) : IStatementRunner
{
    public async Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, TimeColumnReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqlDatabase.QueryAsync(connection, null, statement.Sql, r => map(r, PostgresDatabase.ReadTime), cancellationToken, statement.Parameters);
    }

    public async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqlDatabase.ExecuteAsync(connection, null, statement.Sql, cancellationToken, statement.Parameters);
    }

    public object Time(DateTimeOffset time) => time;
}
