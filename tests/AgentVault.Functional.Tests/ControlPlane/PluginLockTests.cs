using System.Text.Json;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>
/// Plugin pinning as an operator uses it: <c>agent-vault plugins lock</c> writes <c>plugins.lock</c> beside the plugins folder,
/// the broker then loads only plugin folders whose files match it, and reports the others as failed naming the mismatch.
/// </summary>
public sealed class PluginLockTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("agent-vault-lock-").FullName;

    private string Plugins => Path.Combine(_workDir, "plugins");

    private string LockFile => Path.Combine(_workDir, "plugins.lock");

    public void Dispose() => Directory.Delete(_workDir, recursive: true);

    [Fact]
    public async Task MatchingLock_LoadsEveryPlugin_AndATamperedDllFailsNamingTheMismatch()
    {
        PluginTests.CopyDirectory(TestPaths.BrokerPluginsDirectory, Plugins);
        var locked = CliAssert.Ok(await new CliRunner().RunAsync("plugins", "lock", "--plugins-dir", Plugins));
        Assert.Contains(LockFile, locked.Stdout, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllLines(LockFile), l => l.EndsWith("  OAuth2/OAuth2.dll", StringComparison.Ordinal) && l.Length == 64 + 2 + "OAuth2/OAuth2.dll".Length);

        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--plugins-dir", Plugins], Log = output.WriteLine });
        var before = await ListAsync(broker);
        Assert.All(before.Values, p => Assert.True(p.Status == "loaded", $"{p.Status}: {p.Error}"));
        Assert.Contains("OAuth2", before.Keys);

        var dll = Path.Combine(Plugins, "OAuth2", "OAuth2.dll");
        var bytes = await File.ReadAllBytesAsync(dll);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(dll, bytes);
        await broker.RestartAsync();

        var after = await ListAsync(broker);
        Assert.Equal("failed", after["OAuth2"].Status);
        Assert.Contains("OAuth2/OAuth2.dll does not match", after["OAuth2"].Error, StringComparison.Ordinal);
        Assert.Contains(LockFile, after["OAuth2"].Error, StringComparison.Ordinal);
        Assert.Equal("loaded", after["FileStore"].Status);
    }

    [Fact]
    public async Task UnlistedPlugin_Fails_UntilPluginsLockPinsIt()
    {
        var sample = Path.Combine(TestPaths.RepoRoot, "samples", "HelloStore", "bin", TestPaths.Configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(sample, "HelloStore.dll")), $"build samples/HelloStore first ({sample})");
        PluginTests.CopyDirectory(TestPaths.BrokerPluginsDirectory, Plugins);
        CliAssert.Ok(await new CliRunner().RunAsync("plugins", "lock", "--plugins-dir", Plugins));
        PluginTests.CopyDirectory(sample, Path.Combine(Plugins, "HelloStore"));

        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--plugins-dir", Plugins], Log = output.WriteLine });
        var unlisted = await ListAsync(broker);
        Assert.Equal("failed", unlisted["HelloStore"].Status);
        Assert.Contains("'HelloStore' is not listed in " + LockFile, unlisted["HelloStore"].Error, StringComparison.Ordinal);
        Assert.Equal("loaded", unlisted["FileStore"].Status);

        // An extra file dropped into a pinned folder is a mismatch too.
        await File.WriteAllTextAsync(Path.Combine(Plugins, "FileStore", "extra.dll"), "not pinned");
        await broker.RestartAsync();
        Assert.Contains("FileStore/extra.dll is not listed", (await ListAsync(broker))["FileStore"].Error, StringComparison.Ordinal);

        File.Delete(Path.Combine(Plugins, "FileStore", "extra.dll"));
        CliAssert.Ok(await new CliRunner().RunAsync("plugins", "lock", "--plugins-dir", Plugins));
        await broker.RestartAsync();
        var pinned = await ListAsync(broker);
        Assert.All(pinned.Values, p => Assert.True(p.Status == "loaded", $"{p.Status}: {p.Error}"));
        Assert.Contains("HelloStore", pinned.Keys);
    }

    [Fact]
    public async Task ExplicitLockFile_IsUsed_AndAMissingOneIsAUsageError()
    {
        PluginTests.CopyDirectory(TestPaths.BrokerPluginsDirectory, Plugins);
        var elsewhere = Path.Combine(_workDir, "pins", "my.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
        await File.WriteAllTextAsync(elsewhere, string.Empty);

        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--plugins-dir", Plugins, "--plugins-lock", elsewhere], Log = output.WriteLine });
        var plugins = await ListAsync(broker);
        Assert.Equal("failed", plugins["FileStore"].Status);
        Assert.Contains("not listed in " + elsewhere, plugins["FileStore"].Error, StringComparison.Ordinal);

        var missing = await new CliRunner().RunAsync(
            ["server", "--dev", "--data-dir", Path.Combine(_workDir, "data2"), "--plugins-lock", Path.Combine(_workDir, "nope.lock"), "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0"],
            stdin: null, timeout: TimeSpan.FromSeconds(60));
        CliAssert.Failed(missing, exitCode: 2);
        Assert.Contains("nope.lock", missing.Stderr, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, (string Status, string? Error)>> ListAsync(BrokerProcess broker)
    {
        var list = CliAssert.Json(await broker.Cli.RunAsync("plugins", "list", "--json"));
        return list.EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() != "builtin")
            .ToDictionary(
                p => p.GetProperty("name").GetString()!,
                p => (p.GetProperty("status").GetString()!, p.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null));
    }
}
