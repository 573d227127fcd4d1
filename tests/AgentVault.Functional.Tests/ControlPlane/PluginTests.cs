using System.Net;
using System.Text.Json;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Plugins as an operator sees them: the bundled ones load, a dropped-in folder loads after restart, a broken one is reported.</summary>
public sealed class PluginTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PluginsListJson_ShowsFileStoreLoadedWithTheSpecFields()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });

        var plugins = CliAssert.Json(await broker.Cli.RunAsync("plugins", "list", "--json"));

        var fileStore = plugins.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "FileStore");
        Assert.Equal("loaded", fileStore.GetProperty("status").GetString());
        Assert.Contains("file", fileStore.GetProperty("store_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Array, fileStore.GetProperty("auth_schemes").ValueKind);
        Assert.True(fileStore.TryGetProperty("version", out _));
        Assert.True(!fileStore.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null);

        var table = CliAssert.Ok(await broker.Cli.RunAsync("plugins", "list"));
        Assert.Contains(table.Lines, l => l.StartsWith("FileStore ", StringComparison.Ordinal) && l.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BundledPlugins_AllLoadEachCarryingItsOwnCopyOfTheSharedLibrary()
    {
        string[] sharing = ["AwsSecretsManager", "AwsSigV4", "GitHubApp", "HashiCorpVault", "Infisical", "OAuth2"];
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });

        var plugins = CliAssert.Json(await broker.Cli.RunAsync("plugins", "list", "--json")).EnumerateArray().ToList();

        // The shared code is a library the plugins reference, not a plugin of its own and not compiled into each one.
        Assert.DoesNotContain(plugins, p => p.GetProperty("name").GetString()!.Contains("Shared", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(TestPaths.BrokerPluginsDirectory, "AgentVault.Plugins.Shared")));
        foreach (var name in sharing)
        {
            var plugin = plugins.Single(p => p.GetProperty("name").GetString() == name);
            Assert.Equal("loaded", plugin.GetProperty("status").GetString());
            Assert.True(File.Exists(Path.Combine(TestPaths.BrokerPluginsDirectory, name, "AgentVault.Plugins.Shared.dll")), $"{name} lacks the shared library");
        }

        Assert.All(plugins, p => Assert.Equal("loaded", p.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task SamplePluginDroppedIntoPluginsDir_IsLoadedAfterRestart()
    {
        var sample = Path.Combine(TestPaths.RepoRoot, "samples", "HelloStore", "bin", TestPaths.Configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(sample, "HelloStore.dll")), $"build samples/HelloStore first ({sample})");
        var workDir = Directory.CreateTempSubdirectory("agent-vault-plugins-").FullName;
        try
        {
            var plugins = Path.Combine(workDir, "plugins");
            CopyDirectory(TestPaths.BrokerPluginsDirectory, plugins);
            await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--plugins-dir", plugins], Log = output.WriteLine });
            Assert.DoesNotContain("HelloStore", CliAssert.Ok(await broker.Cli.RunAsync("plugins", "list")).Stdout, StringComparison.Ordinal);

            CopyDirectory(sample, Path.Combine(plugins, "HelloStore"));
            await broker.RestartAsync();

            var list = CliAssert.Json(await broker.Cli.RunAsync("plugins", "list", "--json"));
            var hello = list.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "HelloStore");
            Assert.Equal("loaded", hello.GetProperty("status").GetString());
            Assert.Contains("hello", hello.GetProperty("store_types").EnumerateArray().Select(t => t.GetString()));
            CliAssert.Ok(await broker.Cli.RunAsync("store", "add", "greeter", "--type", "hello"));
            CliAssert.Ok(await broker.Cli.RunAsync("store", "test", "greeter"));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    [Fact]
    public async Task BrokenPluginFolder_IsReportedFailedAndTheServerKeepsRunning()
    {
        var workDir = Directory.CreateTempSubdirectory("agent-vault-plugins-").FullName;
        try
        {
            var plugins = Path.Combine(workDir, "plugins");
            CopyDirectory(TestPaths.BrokerPluginsDirectory, plugins);
            Directory.CreateDirectory(Path.Combine(plugins, "Broken"));
            await File.WriteAllBytesAsync(Path.Combine(plugins, "Broken", "Broken.dll"), "MZ this is not a .NET assembly"u8.ToArray());

            await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--plugins-dir", plugins], Log = output.WriteLine });

            var list = CliAssert.Json(await broker.Cli.RunAsync("plugins", "list", "--json"));
            var broken = list.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Broken");
            Assert.Equal("failed", broken.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(broken.GetProperty("error").GetString()));
            Assert.Contains(list.EnumerateArray(), p => p.GetProperty("name").GetString() == "FileStore" && p.GetProperty("status").GetString() == "loaded");
            var table = CliAssert.Ok(await broker.Cli.RunAsync("plugins", "list"));
            Assert.Contains(table.Lines, l => l.StartsWith("Broken ", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));

            using var client = broker.CreateApiClient(admin: false);
            using var health = await client.GetAsync("healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(broker.HasExited);
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    internal static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
