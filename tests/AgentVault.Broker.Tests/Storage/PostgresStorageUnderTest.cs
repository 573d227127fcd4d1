using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Storage.Postgres;
using AgentVault.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The PostgreSQL engine: a fresh database on the shared test server, migrated.</summary>
internal sealed class PostgresStorageUnderTest : StorageUnderTest
{
    private readonly List<PostgresDatabase> _opened = [];
    private readonly string _url;
    private readonly PostgresDatabase _database;

    private PostgresStorageUnderTest(string url)
    {
        _url = url;
        _database = Open(url);
    }

    public override IMetadataDatabase Database => _database;

    public override ITokenRepository Tokens => new PostgresTokenRepository(_database);

    public override IProposalRepository Proposals => new PostgresProposalRepository(_database);

    public override IBlobRepository Blobs => new PostgresBlobRepository(_database);

    public override IRequestLogRepository RequestLog => new PostgresRequestLogRepository(_database);

    public override ISessionRepository Sessions => new SessionRepository(new PostgresStatementRunner(_database));

    public override IAuditRepository Audit => new AuditRepository(new PostgresStatementRunner(_database));

    public override int LatestVersion => PostgresDatabase.LatestVersion;

    public PostgresDatabase Postgres => _database;

    public static async Task<PostgresStorageUnderTest> CreateAsync(PostgresServer server, bool migrate = true)
    {
        var name = await server.CreateDatabaseAsync();
        var storage = new PostgresStorageUnderTest(server.UrlFor(name));
        if (migrate)
        {
            await storage._database.MigrateAsync(CancellationToken.None);
        }

        return storage;
    }

    /// <summary>A database handle (not migrated) for <paramref name="url"/>; disposed with this object.</summary>
    public static PostgresDatabase OpenUrl(string url) =>
        new(DatabaseLocation.Resolve(new AgentVault.Broker.Server.ServerOptions { DataDir = "/nonexistent", DatabaseUrl = url }), NullLogger<PostgresDatabase>.Instance);

    public override IConfigRepository Config(TimeProvider time) => new PostgresConfigRepository(_database, time);

    public override IMetadataDatabase OpenAnother() => Open(_url);

    public override IConfigRepository ConfigOf(IMetadataDatabase other) => new PostgresConfigRepository((PostgresDatabase)other, TimeProvider.System);

    public override async Task<long> SchemaVersionRowsAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return (long)(await PostgresDatabase.ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_version;", CancellationToken.None))!;
    }

    public override async Task<IReadOnlyDictionary<string, DateTimeOffset>> AgentCreationTimesAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var rows = await PostgresDatabase.QueryAsync(connection, null, "SELECT name, created_at FROM agents;", r => (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)), CancellationToken.None);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }
    }

    public override string ToString() => _database.Url.ToString();

    private PostgresDatabase Open(string url)
    {
        var database = OpenUrl(url);
        _opened.Add(database);
        return database;
    }
}
