using System.Data.Common;

namespace AgentVault.Broker.Storage.Common;

/// <summary>
/// Runs one <see cref="SqlStatement"/> on its own connection, for repositories whose SQL is the same on both engines: only
/// the way a time is stored (<see cref="Time"/>) and read differs.
/// </summary>
internal interface IStatementRunner
{
    Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, TimeColumnReader, T> map, CancellationToken cancellationToken);

    Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>A time as this engine's parameter value.</summary>
    object Time(DateTimeOffset time);
}
