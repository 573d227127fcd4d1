using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

public sealed class SqliteBlobRepositoryTests
{
    [Fact]
    public async Task TryInsert_SecondWriterLosesAndFirstValueStays()
    {
        using var db = await TestDatabase.CreateAsync();
        var first = new SqliteBlobRepository(db.Database);
        var second = new SqliteBlobRepository(db.Open());

        Assert.True(await first.TryInsertAsync("ca", [1], CancellationToken.None));
        Assert.False(await second.TryInsertAsync("ca", [2], CancellationToken.None));

        Assert.Equal(new byte[] { 1 }, await second.GetAsync("ca", CancellationToken.None));
    }

    [Fact]
    public async Task Put_OverwritesAndGetOfUnknownIsNull()
    {
        using var db = await TestDatabase.CreateAsync();
        var blobs = new SqliteBlobRepository(db.Database);

        await blobs.PutAsync("x", [1, 2], CancellationToken.None);
        await blobs.PutAsync("x", [3], CancellationToken.None);

        Assert.Equal(new byte[] { 3 }, await blobs.GetAsync("x", CancellationToken.None));
        Assert.Null(await blobs.GetAsync("missing", CancellationToken.None));
    }
}
