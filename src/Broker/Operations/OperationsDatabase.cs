using System.Data;
using System.Data.Common;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentVault.Broker.Operations;

/// <summary>
/// A metadata database opened by an operations command (not by the server): the same <see cref="SqliteDatabase"/> or
/// <see cref="PostgresDatabase"/> the server uses, for its migrations and connections, plus the read and write
/// transactions a copy needs.
/// </summary>
internal sealed class OperationsDatabase : IAsyncDisposable
{
    private readonly SqliteDatabase? _sqlite;
    private readonly PostgresDatabase? _postgres;

    private OperationsDatabase(DatabaseLocation location)
    {
        Location = location;
        if (location.Postgres is not null)
        {
            _postgres = new PostgresDatabase(location, NullLogger<PostgresDatabase>.Instance);
        }
        else
        {
            _sqlite = new SqliteDatabase(location, NullLogger<SqliteDatabase>.Instance);
        }
    }

    public DatabaseLocation Location { get; }

    public bool IsPostgres => _postgres is not null;

    /// <summary>The schema version this build brings the database to.</summary>
    public int LatestVersion => IsPostgres ? PostgresDatabase.LatestVersion : SqliteDatabase.LatestVersion;

    /// <summary>The database a URL names (<c>sqlite:PATH</c>, <c>postgres://…</c>), or the SQLite file of <paramref name="dataDir"/> when the URL is empty.</summary>
    public static OperationsDatabase Open(string? url, string dataDir, string what)
    {
        try
        {
            return new OperationsDatabase(DatabaseLocation.Resolve(new ServerOptions { DataDir = dataDir, DatabaseUrl = string.IsNullOrWhiteSpace(url) ? null : url.Trim() }));
        }
        catch (BrokerStartupException ex)
        {
            throw new OperationsException($"{what}: {ex.Message}");
        }
    }

    /// <summary>Whether there is anything to read: a SQLite file that exists (PostgreSQL databases are asked when opened).</summary>
    public bool Exists => IsPostgres || File.Exists(Location.SqlitePath);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        _postgres is not null ? await _postgres.OpenAsync(cancellationToken) : await _sqlite!.OpenAsync(cancellationToken);

    /// <summary>Applies the server's own migrations (creating the SQLite file owner-only when missing).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _postgres is not null ? _postgres.MigrateAsync(cancellationToken) : _sqlite!.MigrateAsync(cancellationToken);

    /// <summary>
    /// A read-only transaction over one consistent snapshot while the server keeps writing: REPEATABLE READ on PostgreSQL; on
    /// SQLite a deferred transaction, which in WAL mode reads the database as of its first statement.
    /// </summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        }

        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await SqlDatabase.ExecuteAsync(connection, transaction, "SET TRANSACTION READ ONLY;", cancellationToken);
        return transaction;
    }

    /// <summary>A write transaction: SQLite takes the write lock at once (BEGIN IMMEDIATE), so a running server's write waits or fails cleanly.</summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false)
            : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
    }

    /// <summary>One line about a database failure, without the PostgreSQL password.</summary>
    public string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return _postgres is not null ? _postgres.Describe(exception) : exception.Message;
    }

    /// <summary>Whether <paramref name="exception"/> is the database refusing or failing (rather than a bug).</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is DbException or NpgsqlException or BrokerStartupException or System.Net.Sockets.SocketException or TimeoutException or IOException;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_sqlite is not null)
        {
            SqliteConnection.ClearAllPools();
        }
    }

    public override string ToString() => Location.ToString();
}
