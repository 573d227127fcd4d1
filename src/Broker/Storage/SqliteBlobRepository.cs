namespace AgentVault.Broker.Storage;

/// <summary>Named blobs in the <c>blobs</c> table (wrapped data key, CA, admin token hash).</summary>
internal sealed class SqliteBlobRepository(SqliteDatabase database) : IBlobRepository
{
    public async Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.ScalarAsync(connection, null, "SELECT value FROM blobs WHERE name = $n;", cancellationToken, ("$n", name)) as byte[];
    }

    public async Task<bool> TryInsertAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await SqliteDatabase.ExecuteAsync(connection, null, "INSERT INTO blobs (name, value) VALUES ($n, $v) ON CONFLICT (name) DO NOTHING;", cancellationToken, ("$n", name), ("$v", value));
        return rows > 0;
    }

    public async Task PutAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await SqliteDatabase.ExecuteAsync(connection, null, Upsert, cancellationToken, ("$n", name), ("$v", value));
    }

    public async Task PutAndSignalAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await SqliteDatabase.ExecuteAsync(connection, transaction, Upsert, cancellationToken, ("$n", name), ("$v", value));
        await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private const string Upsert = "INSERT INTO blobs (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;";
}
