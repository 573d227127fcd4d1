using System.IO.Compression;
using System.Security.Cryptography;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Operations;

/// <summary>
/// <c>agent-vault backup</c> and <c>restore</c>: every table read in one snapshot while the server keeps running, compressed
/// and encrypted with a key derived from the data key (so the master password, or the --dev key file, is all a restore on a
/// new machine needs), and written back table by table into a fresh database of either engine (docs/backup-and-migrate.md).
/// </summary>
internal static class DatabaseBackup
{
    public static async Task<CopyResult> CreateAsync(OperationsDatabase source, string file, KeyUnlock unlock, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(unlock);
        ArgumentNullException.ThrowIfNull(time);
        if (!source.Exists)
        {
            throw new OperationsException($"there is no database at {source} (set --database-url or --data-dir)");
        }

        var path = Path.GetFullPath(file);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp");
        try
        {
            await using var connection = await source.OpenAsync(cancellationToken);
            await using var snapshot = await OperationsDatabase.BeginSnapshotAsync(connection, cancellationToken);
            var version = await DestinationDatabase.SourceVersionAsync(source, connection, snapshot, cancellationToken);
            var record = await SqlDatabase.ScalarAsync(connection, snapshot, "SELECT value FROM blobs WHERE name = @name;", cancellationToken, (connection is Npgsql.NpgsqlConnection ? "name" : "@name", WrappedDataKey.BlobName)) as byte[]
                ?? throw new OperationsException($"{source} has no data key yet (start the server on it once)");
            var header = new BackupHeader
            {
                CreatedAt = time.GetUtcNow(),
                SchemaVersion = version,
                Source = source.IsPostgres ? "postgres" : "sqlite",
                Salt = RandomNumberGenerator.GetBytes(32),
                DataKey = record,
            };
            var fileKey = FileKey(header, unlock.Unwrap(record, $"the database {source}"));
            IReadOnlyList<TableCount> counts;
            await using (var output = new FileStream(temporary, PrivateCreate()))
            {
                var hash = await header.WriteAsync(output, cancellationToken);
                using var sealing = new SealingStream(output, fileKey, hash);
                CryptographicOperations.ZeroMemory(fileKey);
                using (var compressed = new GZipStream(sealing, CompressionLevel.Optimal, leaveOpen: true))
                {
                    var payload = new BackupPayload(compressed);
                    counts = [.. (await DatabaseSnapshotReader.ReadAsync(connection, snapshot, payload, cancellationToken)).Select(c => new TableCount(c.Table, c.Rows))];
                    payload.Finish();
                }

                sealing.Complete();
                output.Flush(flushToDisk: true);
            }

            await snapshot.CommitAsync(cancellationToken);
            File.Move(temporary, path, overwrite: true);
            return new CopyResult(version, counts);
        }
        catch (Exception ex) when (ex is not OperationsException && (OperationsDatabase.IsDatabaseFailure(ex) || ex is UnauthorizedAccessException) && !cancellationToken.IsCancellationRequested)
        {
            throw new OperationsException(ex is IOException or UnauthorizedAccessException
                ? $"cannot write {path}: {ex.Message}"
                : $"cannot read {source}: {source.Describe(ex)}", ex);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Restores <paramref name="file"/> into <paramref name="target"/>; returns what was written and whether the backup's data key is wrapped by a key file.</summary>
    public static async Task<(CopyResult Copied, bool UsesKeyFile)> RestoreAsync(string file, OperationsDatabase target, KeyUnlock unlock, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(unlock);
        FileStream input;
        try
        {
            input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperationsException($"cannot read {file}: {ex.Message}");
        }

        await using (input)
        {
            var (header, hash) = await BackupHeader.ReadAsync(input, cancellationToken);
            var fileKey = FileKey(header, unlock.Unwrap(header.DataKey, "this backup"));
            using var opening = new OpeningStream(input, fileKey, hash);
            CryptographicOperations.ZeroMemory(fileKey);
            await using var decompressed = new GZipStream(opening, CompressionMode.Decompress);
            try
            {
                var counts = await DestinationDatabase.ReplaceAsync(target, header.SchemaVersion, force, (sink, ct) => BackupPayload.ReadAsync(decompressed, sink, ct), cancellationToken);
                return (new CopyResult(header.SchemaVersion, counts), KeyUnlock.UsesKeyFile(header.DataKey));
            }
            catch (InvalidDataException)
            {
                throw new OperationsException("the backup's content is malformed");
            }
        }
    }

    private static byte[] FileKey(BackupHeader header, byte[] dataKey)
    {
        try
        {
            return header.FileKey(dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static FileStreamOptions PrivateCreate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
