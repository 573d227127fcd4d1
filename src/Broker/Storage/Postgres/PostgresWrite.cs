using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>A write transaction holding the change-version row lock; <see cref="CommitAsync"/> bumps the version and commits, disposing without it rolls back.</summary>
internal sealed class PostgresWrite(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public NpgsqlConnection Connection => connection;

    public NpgsqlTransaction Transaction => transaction;

    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        PostgresDatabase.ExecuteAsync(connection, transaction, sql, cancellationToken, parameters);

    /// <summary>Commits; bumps the change version first when <paramref name="changed"/> (a write that touched nothing leaves it alone).</summary>
    public async Task CommitAsync(bool changed, CancellationToken cancellationToken)
    {
        if (changed)
        {
            await PostgresDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
