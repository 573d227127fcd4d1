using System.Security.Cryptography;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Without --dev the data directory is unlocked by the master password; a wrong one fails and changes nothing.</summary>
public sealed class MasterPasswordTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WrongMasterPassword_Exits1AndLeavesTheDataDirUnchanged()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Dev = false, MasterPassword = "correct horse battery staple", Log = output.WriteLine });
        CliAssert.Ok(await broker.Cli.RunAsync("vault", "create", "kept"));
        Assert.Equal(0, await broker.StopAsync());
        var before = Snapshot(broker.DataDir);

        var result = await new CliRunner().RunAsync(
            ["server", "--data-dir", broker.DataDir, "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0"],
            stdin: null,
            environment: [new("AGENT_VAULT_MASTER_PASSWORD", "wrong password"), new("HOME", broker.WorkDir)],
            timeout: TimeSpan.FromSeconds(60));

        CliAssert.Failed(result);
        Assert.Contains("master password", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("wrong password", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(broker.DataDir));

        await broker.RestartAsync();
        Assert.Contains("kept", CliAssert.Ok(await broker.Cli.RunAsync("vault", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoMasterPasswordWithoutDev_Exits1WithAClearMessage()
    {
        var dataDir = Directory.CreateTempSubdirectory("agent-vault-nopw-").FullName;
        try
        {
            var result = await new CliRunner().RunAsync(
                ["server", "--data-dir", Path.Combine(dataDir, "data"), "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0"],
                stdin: null,
                environment: [new("HOME", dataDir)],
                timeout: TimeSpan.FromSeconds(60));

            CliAssert.Failed(result);
            Assert.Contains("AGENT_VAULT_MASTER_PASSWORD", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task ServerWithBadFlagValue_Exits2()
    {
        var result = await new CliRunner().RunAsync("server", "--api-listen", "not-an-address:xyz", "--data-dir", "/nonexistent/never-created");

        CliAssert.Failed(result, exitCode: 2);
        Assert.False(Directory.Exists("/nonexistent/never-created"));
    }

    /// <summary>Every file below the data dir with a hash of its content (SQLite side files included).</summary>
    private static SortedDictionary<string, string> Snapshot(string dataDir)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            snapshot[Path.GetRelativePath(dataDir, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return snapshot;
    }
}
