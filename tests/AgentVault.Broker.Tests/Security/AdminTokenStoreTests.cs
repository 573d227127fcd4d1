using System.Text;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Security;

public sealed class AdminTokenStoreTests
{
    private static async Task<(AdminTokenStore Store, string Stdout)> StartAsync(TestDatabase db)
    {
        var stdout = new StringWriter();
        var console = new ServerConsole(stdout, TextWriter.Null, TextReader.Null);
        var store = new AdminTokenStore(new ServerOptions { DataDir = db.Directory }, new SqliteBlobRepository(db.Database), console, NullLogger<AdminTokenStore>.Instance);
        await store.EnsureAsync(CancellationToken.None);
        return (store, stdout.ToString());
    }

    [Fact]
    public async Task FirstStart_PrintsTheTokenOnceAndWritesItOwnerOnly()
    {
        using var db = await TestDatabase.CreateAsync();

        var (store, stdout) = await StartAsync(db);

        var printed = stdout.Split('\n')[0];
        Assert.StartsWith("admin token: ava_", printed, StringComparison.Ordinal);
        var token = printed["admin token: ".Length..].Trim();
        Assert.Equal(47, token.Length);
        Assert.Equal(token, File.ReadAllText(store.FilePath).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, FileModes.Of(store.FilePath));
        Assert.True(store.Verify(token));
        Assert.Empty(Directory.GetFiles(db.Directory, "*.pending"));
    }

    [Fact]
    public async Task Database_HoldsOnlyTheHash()
    {
        using var db = await TestDatabase.CreateAsync();
        var (store, _) = await StartAsync(db);
        var token = File.ReadAllText(store.FilePath).Trim();

        var stored = Encoding.UTF8.GetString((await new SqliteBlobRepository(db.Database).GetAsync(AdminTokenStore.BlobName, CancellationToken.None))!);

        Assert.Equal(TokenHasher.Hash(token), stored);
        Assert.DoesNotContain(token, File.ReadAllText(db.FilePath + "-wal", Encoding.Latin1) + File.ReadAllText(db.FilePath, Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondStart_PrintsNothingAndAcceptsTheSameToken()
    {
        using var db = await TestDatabase.CreateAsync();
        var (first, _) = await StartAsync(db);
        var token = File.ReadAllText(first.FilePath).Trim();

        var (second, stdout) = await StartAsync(db);

        Assert.Equal(string.Empty, stdout);
        Assert.True(second.Verify(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ava_wrong")]
    [InlineData("Bearer ")]
    public async Task Verify_RejectsAnythingButTheToken(string? presented)
    {
        using var db = await TestDatabase.CreateAsync();
        var (store, _) = await StartAsync(db);

        Assert.False(store.Verify(presented));
    }

    [Fact]
    public async Task Verify_BeforeStartUp_RejectsEverything()
    {
        using var db = await TestDatabase.CreateAsync();
        var store = new AdminTokenStore(new ServerOptions { DataDir = db.Directory }, new SqliteBlobRepository(db.Database), ServerConsole.System, NullLogger<AdminTokenStore>.Instance);

        Assert.False(store.Verify(TokenGenerator.NewAdminToken()));
    }
}
