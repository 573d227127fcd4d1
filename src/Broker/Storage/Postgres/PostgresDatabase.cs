using System.Data;
using System.Data.Common;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>
/// The PostgreSQL metadata database: one pooled <see cref="NpgsqlDataSource"/>, migrations under an advisory lock,
/// and the helpers the repositories share. Several broker instances may use the same database.
/// </summary>
internal sealed class PostgresDatabase : SqlDatabase, IMetadataDatabase, IAsyncDisposable, IDisposable
{
    // pg_advisory_xact_lock key held while migrating: "AGVAULT1" as a 64-bit number.
    private const long MigrationLockKey = 0x4147_5641_554C_5431;

    /// <summary>The LISTEN/NOTIFY channel a write that bumps the change version notifies.</summary>
    public const string ChangeChannel = "agent_vault_changes";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresDatabase> _logger;

    public PostgresDatabase(DatabaseLocation location, ILogger<PostgresDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(location);
        Url = location.Postgres ?? throw new ArgumentException("not a PostgreSQL location", nameof(location));
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(Url.ToConnectionString());
    }

    /// <summary>The database URL (its <see cref="PostgresUrl.ToString"/> has no password).</summary>
    public PostgresUrl Url { get; }

    /// <summary>The schema version this build brings a database to.</summary>
    public static int LatestVersion => PostgresMigrations.All.Count;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

            // Instances starting together queue here; DDL is transactional, so a failed migration leaves nothing behind.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", MigrationLockKey));
            await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL);", cancellationToken);
            var applied = (await QueryAsync(connection, transaction, "SELECT version FROM schema_version;", r => r.GetInt32(0), cancellationToken)).ToHashSet();
            var newest = applied.Count == 0 ? 0 : applied.Max();
            if (newest > LatestVersion)
            {
                throw new BrokerStartupException($"the database {Url} has schema version {newest}, newer than this build supports ({LatestVersion}); upgrade agent-vault");
            }

            var migrated = new List<int>();
            for (var version = 1; version <= LatestVersion; version++)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await ExecuteAsync(connection, transaction, PostgresMigrations.All[version - 1], cancellationToken);
                await ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (@v, now());", cancellationToken, ("v", version));
                migrated.Add(version);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var version in migrated)
            {
                StorageLog.MigrationApplied(_logger, version);
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new BrokerStartupException($"cannot use the PostgreSQL database {Url}: {Describe(ex)}", ex);
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

        // A repeatable-read transaction reads one snapshot: version, configuration and tokens agree with each other.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var version = await GetVersionAsync(connection, transaction, cancellationToken);
        var configVersion = await GetConfigVersionAsync(connection, transaction, cancellationToken);
        var config = await ConfigDocumentReader.LoadAsync(connection, transaction, cancellationToken);
        var tokens = await TokenRows.ListAsync(connection, transaction, ReadTime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConfigState(version, config, tokens) { ConfigVersion = configVersion };
    }

    /// <summary>
    /// Opens a write transaction that bumps the change version. Locking the version row first serialises writers across
    /// instances, so a configuration save (delete and re-insert) never interleaves with another.
    /// </summary>
    public async Task<PostgresWrite> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await ExecuteAsync(connection, transaction, "SELECT version FROM change_version WHERE id = 1 FOR UPDATE;", cancellationToken);
            return new PostgresWrite(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Bumps the change version other instances poll and notifies <see cref="ChangeChannel"/> (PostgreSQL delivers the
    /// notification at commit, never for a rolled-back write); call inside the writing transaction.
    /// </summary>
    public static Task BumpVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"UPDATE change_version SET version = version + 1 WHERE id = 1; NOTIFY {ChangeChannel};", cancellationToken);

    /// <summary>A parameter for a batch command; a null is sent untyped, so the server takes the column's type.</summary>
    public static NpgsqlParameter Parameter(string name, object? value) => new(name, ParameterValue(value));

    /// <summary>Reads a timestamptz column.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldValue<DateTimeOffset>(ordinal);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Npgsql wraps most failures in NpgsqlException; a TLS handshake or socket failure may surface unwrapped.
    private static bool IsConnectionFailure(Exception exception) =>
        exception is NpgsqlException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or TimeoutException or IOException;

    public void Dispose() => _dataSource.Dispose();

    /// <summary>One line about a connection or SQL failure, with the password scrubbed should a server ever echo it.</summary>
    public string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception is PostgresException postgres
            ? $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})"
            : exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
        return Url.Password is { Length: > 0 } password ? message.Replace(password, "***", StringComparison.Ordinal) : message;
    }
}
