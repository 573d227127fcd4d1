using System.Net;
using System.Security.Cryptography.X509Certificates;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using AgentVault.Broker.Tests.Storage;

namespace AgentVault.Broker.Tests.Hosting;

public sealed class ServerHostTests : IDisposable
{
    // A deadline for readiness, not a speed check: Argon2id and first-start work on a busy 2-core CI machine can take minutes.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "av-host-" + Guid.NewGuid().ToString("N"), "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var root = Path.GetDirectoryName(_dataDir)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private ServerOptions Options(bool dev = true, bool passwordStdin = false) =>
        new() { DataDir = _dataDir, Dev = dev, PasswordStdin = passwordStdin, ApiListen = "127.0.0.1:0", ProxyListen = "127.0.0.1:0" };

    private static async Task<RunningServer> StartAsync(ServerOptions options, string? stdin = null)
    {
        var stdout = new ObservableWriter();
        var stderr = new StringWriter();
        var stop = new CancellationTokenSource();
        var exit = Task.Run(() => ServerHost.RunAsync(options, new ServerConsole(stdout, stderr, new StringReader(stdin ?? string.Empty)), stop.Token));
        var api = await stdout.WaitForLineAsync("api listening on ", exit, StartTimeout);
        var proxy = await stdout.WaitForLineAsync("proxy listening on ", exit, StartTimeout);
        return new RunningServer(exit, stop, stdout, stderr, new Uri(api["api listening on ".Length..]), new Uri(proxy["proxy listening on ".Length..]));
    }

    private static async Task<int> StopAsync(RunningServer running)
    {
        await running.Stop.CancelAsync();
        var exit = await running.Exit.WaitAsync(StartTimeout);
        running.Stop.Dispose();
        return exit;
    }

    [Fact]
    public async Task DevServer_OnPortZero_ServesHealthReadyAndCaThenStopsWithZero()
    {
        var server = await StartAsync(Options());
        using var http = new HttpClient { BaseAddress = server.Api };

        var health = await http.GetStringAsync("/healthz");
        var ready = await http.GetAsync("/readyz");
        var pem = await http.GetAsync("/v1/ca.pem");
        var pemText = await pem.Content.ReadAsStringAsync();

        Assert.Equal("""{"status":"ok"}""", health);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("application/x-pem-file", pem.Content.Headers.ContentType!.MediaType);
        Assert.True(X509Certificate2.CreateFromPem(pemText).Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", server.Api.ToString());
        Assert.NotEqual(0, server.Api.Port);
        Assert.NotEqual(0, server.Proxy.Port);
        Assert.NotEqual(server.Api.Port, server.Proxy.Port);
        Assert.Equal(0, await StopAsync(server));
    }

    [Fact]
    public async Task FirstStart_PrintsTheAdminTokenOnceAndProtectsTheDataDirectory()
    {
        var first = await StartAsync(Options());
        Assert.Equal(0, await StopAsync(first));
        var second = await StartAsync(Options());
        Assert.Equal(0, await StopAsync(second));

        var tokenLine = Assert.Single(first.Out.Lines, l => l.StartsWith("admin token: ", StringComparison.Ordinal));
        var token = tokenLine["admin token: ".Length..];
        var tokenFile = Path.Combine(_dataDir, "admin.token");
        Assert.Equal(token, File.ReadAllText(tokenFile).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, FileModes.Of(tokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, FileModes.Of(_dataDir));
        Assert.DoesNotContain(second.Out.Lines, l => l.Contains("ava_", StringComparison.Ordinal));
        Assert.DoesNotContain(token, first.Error.ToString() + second.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyListener_DoesNotServeTheApi()
    {
        var server = await StartAsync(Options());
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.Proxy, "/healthz"));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await StopAsync(server));
    }

    [Fact]
    public async Task WrongMasterPassword_ExitsWithOneAndAClearMessage()
    {
        var first = await StartAsync(Options(dev: false, passwordStdin: true), "first password\n");
        Assert.Equal(0, await StopAsync(first));
        var before = await ReadKeyMaterialAsync();

        var stderr = new StringWriter();
        var exit = await ServerHost.RunAsync(Options(dev: false, passwordStdin: true), new ServerConsole(new StringWriter(), stderr, new StringReader("other password\n")), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Equal("agent-vault server: the master password does not unlock this data directory", stderr.ToString().Trim());
        Assert.Equal(before, await ReadKeyMaterialAsync());
    }

    private async Task<string> ReadKeyMaterialAsync()
    {
        var database = new SqliteDatabase(new DatabaseLocation(Path.Combine(_dataDir, DatabaseLocation.DefaultFileName)), NullLogger<SqliteDatabase>.Instance);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var rows = await SqliteDatabase.QueryAsync(connection, null, "SELECT name, hex(value) FROM blobs ORDER BY name;", r => r.GetString(0) + "=" + r.GetString(1), CancellationToken.None);
        Assert.Equal(3, rows.Count);
        return string.Join("\n", rows);
    }

    [Fact]
    public async Task NoPasswordWithoutDev_ExitsWithOne()
    {
        var stderr = new StringWriter();

        var exit = await ServerHost.RunAsync(Options(dev: false), new ServerConsole(new StringWriter(), stderr, TextReader.Null), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("master password is required", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresUrl_Unreachable_ExitsWithOneWithoutThePassword()
    {
        var stderr = new StringWriter();
        var options = Options();

        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        options.DatabaseUrl = "postgres://agent:hunter2@127.0.0.1:1/agent_vault";

        var exit = await ServerHost.RunAsync(options, new ServerConsole(new StringWriter(), stderr, TextReader.Null), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("cannot use the PostgreSQL database postgres://agent@127.0.0.1:1/agent_vault", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDir, DatabaseLocation.DefaultFileName)));
    }

    [Fact]
    public async Task PortInUse_ExitsWithOne()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var options = Options();
        options.ApiListen = $"127.0.0.1:{((IPEndPoint)blocker.LocalEndpoint).Port}";
        var stderr = new StringWriter();

        var exit = await ServerHost.RunAsync(options, new ServerConsole(new StringWriter(), stderr, TextReader.Null), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("cannot listen", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptDatabase_ExitsWithOneAndOneLine()
    {
        Directory.CreateDirectory(_dataDir);
        await File.WriteAllTextAsync(Path.Combine(_dataDir, DatabaseLocation.DefaultFileName), "this is not a SQLite database, just text that is long enough to be read as a header");
        var stderr = new StringWriter();

        var exit = await ServerHost.RunAsync(Options(), new ServerConsole(new StringWriter(), stderr, TextReader.Null), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.StartsWith("agent-vault server: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }
}
