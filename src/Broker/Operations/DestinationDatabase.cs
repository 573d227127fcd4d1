using System.Data.Common;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Operations;

/// <summary>
/// The write side shared by <c>migrate</c> and <c>restore</c>: brings the destination to the schema version of the data with
/// the server's own migrations, refuses a destination that already holds data unless forced, then replaces its content in
/// one transaction (nothing is left half-written when a row fails).
/// </summary>
internal static class DestinationDatabase
{
    /// <summary>Fills <paramref name="target"/> from <paramref name="copy"/>, which pushes every table into the sink it is given.</summary>
    public static async Task<IReadOnlyList<TableCount>> ReplaceAsync(
        OperationsDatabase target, int schemaVersion, bool force, Func<ITableSink, CancellationToken, Task<IReadOnlyList<TableCount>>> copy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(copy);
        if (schemaVersion != target.LatestVersion)
        {
            throw new OperationsException(schemaVersion > target.LatestVersion
                ? $"the data has schema version {schemaVersion}, newer than this agent-vault supports ({target.LatestVersion}); use a newer agent-vault"
                : $"the data has schema version {schemaVersion}, this agent-vault writes version {target.LatestVersion}; start a server of this version on the source once (it upgrades the schema), then try again");
        }

        try
        {
            await target.MigrateAsync(cancellationToken);
            await using var connection = await target.OpenAsync(cancellationToken);
            var version = await SchemaCatalog.VersionAsync(connection, null, cancellationToken);
            if (version != schemaVersion)
            {
                throw new OperationsException($"the destination {target} has schema version {version}, the data has version {schemaVersion}; they must match");
            }

            await using var transaction = await OperationsDatabase.BeginWriteAsync(connection, cancellationToken);
            var filled = await DatabaseTableWriter.NonEmptyTablesAsync(connection, transaction, cancellationToken);
            if (filled.Count > 0 && !force)
            {
                throw new OperationsException($"the destination {target} is not empty (it has rows in {string.Join(", ", filled)}); pass --force to replace everything in it");
            }

            await using var writer = await DatabaseTableWriter.StartAsync(connection, transaction, cancellationToken);
            var counts = await copy(writer, cancellationToken);
            await writer.AdvanceSequencesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return counts;
        }
        catch (Exception ex) when (OperationsDatabase.IsDatabaseFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new OperationsException($"cannot write the destination {target}: {target.Describe(ex)}", ex);
        }
    }

    /// <summary>The schema version of a source that must be readable as it is: migrated by an agent-vault, not newer than this one.</summary>
    public static async Task<int> SourceVersionAsync(OperationsDatabase source, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var version = await SchemaCatalog.VersionAsync(connection, transaction, cancellationToken)
            ?? throw new OperationsException($"{source} is not an agent-vault database (it has no schema_version table)");
        return version;
    }
}
