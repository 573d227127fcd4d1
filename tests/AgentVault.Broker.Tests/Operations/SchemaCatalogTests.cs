using AgentVault.Broker.Operations;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Tests.Storage;

namespace AgentVault.Broker.Tests.Operations;

public sealed class SchemaCatalogTests
{
    [Fact]
    public async Task MigratedSqlite_ListsEveryTable_ParentsFirst_AndMarksAutoincrementIds()
    {
        using var database = await TestDatabase.CreateAsync();
        await using var connection = await database.Database.OpenAsync(CancellationToken.None);

        var tables = await SchemaCatalog.ReadAsync(connection, null, CancellationToken.None);
        var names = tables.Select(t => t.Name).ToList();

        Assert.Contains("schema_version", names);
        Assert.True(names.IndexOf("vaults") < names.IndexOf("credentials"));
        Assert.True(names.IndexOf("vaults") < names.IndexOf("services"));
        Assert.True(tables.Single(t => t.Name == "request_log").Columns.Single(c => c.Name == "id").IsGenerated);
        Assert.False(tables.Single(t => t.Name == "tokens").HasGeneratedColumn);
        Assert.Equal(Broker.Storage.SqliteDatabase.LatestVersion, await SchemaCatalog.VersionAsync(connection, null, CancellationToken.None));
        Assert.DoesNotContain("schema_version", (await DatabaseSnapshotReader.CopiedTablesAsync(connection, null, CancellationToken.None)).Select(t => t.Name));
    }
}
