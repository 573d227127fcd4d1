using System.Globalization;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>The SQLite engine: a fresh file in a temporary directory.</summary>
internal sealed class SqliteStorageUnderTest(TestDatabase db) : StorageUnderTest
{
    public override IMetadataDatabase Database => db.Database;

    public override ITokenRepository Tokens => new SqliteTokenRepository(db.Database);

    public override IProposalRepository Proposals => new SqliteProposalRepository(db.Database);

    public override IBlobRepository Blobs => new SqliteBlobRepository(db.Database);

    public override IRequestLogRepository RequestLog => new SqliteRequestLogRepository(db.Database);

    public override ISessionRepository Sessions => new SessionRepository(new SqliteStatementRunner(db.Database));

    public override IAuditRepository Audit => new AuditRepository(new SqliteStatementRunner(db.Database));

    public override int LatestVersion => SqliteDatabase.LatestVersion;

    public static async Task<StorageUnderTest> CreateAsync() => new SqliteStorageUnderTest(await TestDatabase.CreateAsync());

    public static StorageUnderTest CreateEmpty() => new SqliteStorageUnderTest(TestDatabase.CreateEmpty());

    public override IConfigRepository Config(TimeProvider time) => new SqliteConfigRepository(db.Database, time);

    public override IMetadataDatabase OpenAnother() => new SqliteDatabase(new DatabaseLocation(db.FilePath), NullLogger<SqliteDatabase>.Instance);

    public override IConfigRepository ConfigOf(IMetadataDatabase other) => new SqliteConfigRepository((SqliteDatabase)other, TimeProvider.System);

    public override async Task<long> SchemaVersionRowsAsync()
    {
        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        return (long)(await SqliteDatabase.ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_version;", CancellationToken.None))!;
    }

    public override async Task<IReadOnlyDictionary<string, DateTimeOffset>> AgentCreationTimesAsync()
    {
        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        var rows = await SqliteDatabase.QueryAsync(connection, null, "SELECT name, created_at FROM agents;", r => (r.GetString(0), SqliteDatabase.ParseTime(r.GetString(1))), CancellationToken.None);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }

    public override ValueTask DisposeAsync()
    {
        db.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"sqlite {db.FilePath}");
}
