using System.Data.Common;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Storage;

/// <summary><see cref="IStatementRunner"/> on SQLite: parameters bound by their <c>@</c>-prefixed name, times as ISO-8601 text.</summary>
internal sealed class SqliteStatementRunner(SqliteDatabase database) : IStatementRunner
{
    public async Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, TimeColumnReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqlDatabase.QueryAsync(connection, null, statement.Sql, r => map(r, SqliteDatabase.ReadTime), cancellationToken, Prefixed(statement));
    }

    public async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqlDatabase.ExecuteAsync(connection, null, statement.Sql, cancellationToken, Prefixed(statement));
    }

    public object Time(DateTimeOffset time) => SqliteDatabase.FormatTime(time);

    private static (string, object?)[] Prefixed(SqlStatement statement) => [.. statement.Parameters.Select(p => ("@" + p.Name, p.Value))];
}
