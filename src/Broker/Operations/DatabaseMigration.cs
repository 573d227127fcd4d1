namespace AgentVault.Broker.Operations;

/// <summary>
/// <c>agent-vault migrate</c>: copies every table of one metadata database into another (SQLite or PostgreSQL, either
/// direction) with ids, hashes, blobs and counters intact, so a broker started on the destination accepts the same admin
/// and agent tokens and uses the same CA and data key. The source is read in one snapshot and never written.
/// </summary>
internal static class DatabaseMigration
{
    public static async Task<CopyResult> RunAsync(OperationsDatabase source, OperationsDatabase target, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.Location == target.Location || (source.Location.SqlitePath is { } a && target.Location.SqlitePath is { } b && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal)))
        {
            throw new OperationsException("--from and --to name the same database");
        }

        if (!source.Exists)
        {
            throw new OperationsException($"--from: there is no database at {source}");
        }

        try
        {
            await using var connection = await source.OpenAsync(cancellationToken);
            await using var snapshot = await OperationsDatabase.BeginSnapshotAsync(connection, cancellationToken);
            var version = await DestinationDatabase.SourceVersionAsync(source, connection, snapshot, cancellationToken);
            var counts = await DestinationDatabase.ReplaceAsync(target, version, force, async (sink, ct) =>
                [.. (await DatabaseSnapshotReader.ReadAsync(connection, snapshot, sink, ct)).Select(c => new TableCount(c.Table, c.Rows))], cancellationToken);
            await snapshot.CommitAsync(cancellationToken);
            return new CopyResult(version, counts);
        }
        catch (Exception ex) when (ex is not OperationsException && OperationsDatabase.IsDatabaseFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new OperationsException($"cannot read the source {source}: {source.Describe(ex)}", ex);
        }
    }
}
