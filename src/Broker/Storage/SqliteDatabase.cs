using System.Data;
using System.Data.Common;
using System.Globalization;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Storage;

/// <summary>Opens connections to the SQLite metadata database (WAL, busy timeout, foreign keys) and applies the migrations.</summary>
internal sealed class SqliteDatabase : SqlDatabase, IMetadataDatabase
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly ILogger<SqliteDatabase> _logger;

    public SqliteDatabase(DatabaseLocation location, ILogger<SqliteDatabase> logger)
    {
        Path = location.SqlitePath ?? throw new ArgumentException("not a SQLite location", nameof(location));
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            ForeignKeys = true,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The schema version this build brings a database to.</summary>
    public static int LatestVersion => SqliteMigrations.All.Count;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the file (mode 0600) if needed, switches to WAL and applies every pending migration; safe to run again and from several processes.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (!File.Exists(Path) && !OperatingSystem.IsWindows())
        {
            // Create the file owner-only before SQLite does (it would use the umask); another instance may win the race.
            try
            {
                using var created = new FileStream(Path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            }
            catch (IOException) when (File.Exists(Path))
            {
                // Created concurrently: fine.
            }
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);

        for (var version = 1; version <= LatestVersion; version++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            var applied = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM schema_version WHERE version = $v;", cancellationToken, ("$v", version));
            if (Convert.ToInt64(applied, CultureInfo.InvariantCulture) > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }

            await ExecuteAsync(connection, transaction, SqliteMigrations.All[version - 1], cancellationToken);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);", cancellationToken, ("$v", version), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            await transaction.CommitAsync(cancellationToken);
            StorageLog.MigrationApplied(_logger, version);
        }

        var newest = await ScalarAsync(connection, null, "SELECT MAX(version) FROM schema_version;", cancellationToken);
        if (newest is long v && v > LatestVersion)
        {
            throw new BrokerStartupException($"the database {Path} has schema version {v}, newer than this build supports ({LatestVersion}); upgrade agent-vault");
        }
    }

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetVersionAsync(connection, null, cancellationToken);
    }

    public async Task<ConfigState> LoadStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // A read transaction gives one consistent snapshot of version, configuration and tokens (WAL readers see a fixed point).
        await using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        var version = await GetVersionAsync(connection, transaction, cancellationToken);
        var configVersion = await GetConfigVersionAsync(connection, transaction, cancellationToken);
        var config = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        var tokens = await TokenRows.ListAsync(connection, transaction, ReadTime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConfigState(version, config, tokens) { ConfigVersion = configVersion };
    }

    /// <summary>Runs a statement written with <c>@name</c> placeholders (SQLite binds them by their prefixed name).</summary>
    public static Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, SqlStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return ExecuteAsync(connection, transaction, statement.Sql, cancellationToken, [.. statement.Parameters.Select(p => ("@" + p.Name, p.Value))]);
    }

    /// <summary>Bumps the change version other instances poll; call inside the writing transaction.</summary>
    public static Task BumpVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "UPDATE change_version SET version = version + 1 WHERE id = 1;", cancellationToken);

    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a time column written with <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ParseTime(reader.GetString(ordinal));
    }

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
