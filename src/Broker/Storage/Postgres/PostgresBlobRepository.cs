namespace AgentVault.Broker.Storage.Postgres;

/// <summary>Named blobs in the <c>blobs</c> table (wrapped data key, CA, admin token hash).</summary>
internal sealed class PostgresBlobRepository(PostgresDatabase database) : IBlobRepository
{
    public async Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PostgresDatabase.ScalarAsync(connection, null, "SELECT value FROM blobs WHERE name = @n;", cancellationToken, ("n", name)) as byte[];
    }

    public async Task<bool> TryInsertAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await PostgresDatabase.ExecuteAsync(connection, null, "INSERT INTO blobs (name, value) VALUES (@n, @v) ON CONFLICT (name) DO NOTHING;", cancellationToken, ("n", name), ("v", value));
        return rows > 0;
    }

    public async Task PutAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await PostgresDatabase.ExecuteAsync(connection, null, Upsert, cancellationToken, ("n", name), ("v", value));
    }

    public async Task PutAndSignalAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync(Upsert, cancellationToken, ("n", name), ("v", value));
        await write.CommitAsync(changed: true, cancellationToken);
    }

    private const string Upsert = "INSERT INTO blobs (name, value) VALUES (@n, @v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;";
}
