using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>A migrated SQLite database in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class TestDatabase : IDisposable
{
    private TestDatabase(string directory)
    {
        Directory = directory;
        Database = Open();
    }

    public string Directory { get; }

    public string FilePath => Path.Combine(Directory, DatabaseLocation.DefaultFileName);

    public SqliteDatabase Database { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "av-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var database = new TestDatabase(directory);
        await database.Database.MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A fresh directory whose database file does not exist yet (nothing migrated).</summary>
    public static TestDatabase CreateEmpty()
    {
        var directory = Path.Combine(Path.GetTempPath(), "av-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new TestDatabase(directory);
    }

    /// <summary>Another handle on the same file, as a second broker instance sharing the database would have.</summary>
    public SqliteDatabase Open() => new(new DatabaseLocation(FilePath), NullLogger<SqliteDatabase>.Instance);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
