using System.Runtime.Versioning;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>
/// Outside --dev the server does not start when another local user could change what it trusts: a data directory,
/// <c>master.key</c> or plugins folder writable by group or others stops it with exit 1 and a message naming the path
/// and the chmod that fixes it. With --dev it is a warning.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StartupPermissionTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _workDir = Directory.CreateTempSubdirectory("agent-vault-perm-").FullName;

    private string DataDir => Path.Combine(_workDir, "data");

    private string Plugins => Path.Combine(_workDir, "plugins");

    public void Dispose() => Directory.Delete(_workDir, recursive: true);

    [Theory]
    [InlineData("data", UnixFileMode.GroupWrite)]
    [InlineData("data/master.key", UnixFileMode.OtherWrite)]
    [InlineData("plugins", UnixFileMode.GroupWrite)]
    [InlineData("plugins/FileStore/FileStore.dll", UnixFileMode.OtherWrite)]
    public async Task WritableByGroupOrOthers_WithoutDev_RefusesToStart(string relative, UnixFileMode loosened)
    {
        Prepare();
        var path = Path.Combine(_workDir, relative);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | loosened);

        var result = await RunServerAsync(dev: false);

        CliAssert.Failed(result);
        Assert.Contains(relative.StartsWith("plugins", StringComparison.Ordinal) ? path : path + " is writable by group or others", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("chmod", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("api listening on", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritableDataDir_WithDev_StartsWithAWarning()
    {
        Prepare();
        File.SetUnixFileMode(DataDir, File.GetUnixFileMode(DataDir) | UnixFileMode.GroupWrite);

        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { DataDir = DataDir, Arguments = ["--plugins-dir", Plugins], Log = output.WriteLine });

        Assert.Contains(DataDir + " is writable by group or others", broker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_WarnsThatPrivateNetworksAreOpen_AsTheNetworkGuardDocPromises()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });

        Assert.True(await broker.WaitForLogAsync("--dev: upstreams on loopback, private, link-local, carrier-grade NAT and unique-local addresses are allowed"), broker.Stderr);
    }

    // A data directory that a password-protected server has used (so it holds a database and a master.key as a --dev
    // start would have left), and a private copy of the plugins.
    private void Prepare()
    {
        Directory.CreateDirectory(DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(Path.Combine(DataDir, "master.key"), new byte[32]);
        File.SetUnixFileMode(Path.Combine(DataDir, "master.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        PluginTests.CopyDirectory(TestPaths.BrokerPluginsDirectory, Plugins);
    }

    private Task<CliResult> RunServerAsync(bool dev) =>
        new CliRunner().RunAsync(
            ["server", "--data-dir", DataDir, "--plugins-dir", Plugins, "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0", .. dev ? ["--dev"] : Array.Empty<string>()],
            stdin: null,
            environment: [new("AGENT_VAULT_MASTER_PASSWORD", Password), new("HOME", _workDir)],
            timeout: TimeSpan.FromSeconds(90));
}
