using System.Diagnostics;
using AgentVault.Broker.Cli.Agent;

namespace AgentVault.Broker.Tests.Cli;

public sealed class NodeOptionsTests
{
    [Theory]
    [InlineData(null, "/c/p.cjs", "--require /c/p.cjs")]
    [InlineData("  ", "/c/p.cjs", "--require /c/p.cjs")]
    [InlineData("--max-old-space-size=4096 --enable-source-maps", "/c/p.cjs", "--max-old-space-size=4096 --enable-source-maps --require /c/p.cjs")]
    [InlineData("--require /c/p.cjs", "/c/p.cjs", "--require /c/p.cjs")]
    [InlineData("--require /c/p.cjs.old", "/c/p.cjs", "--require /c/p.cjs.old --require /c/p.cjs")]
    [InlineData("--inspect", "/home/a b/p.cjs", "--inspect --require \"/home/a b/p.cjs\"")]
    [InlineData(null, "/home/a \"b\"\\c/p.cjs", "--require \"/home/a \\\"b\\\"\\\\c/p.cjs\"")]
    public void WithPreload_AppendsToTheCallersOptions(string? existing, string path, string expected)
    {
        Assert.Equal(expected, NodeOptions.WithPreload(existing, path));
    }

    [Fact]
    public void Preload_IsEmbeddedAndMentionsTheUndiciDispatcherSymbol()
    {
        Assert.Contains("undici.globalDispatcher.1", NodePreload.Source(), StringComparison.Ordinal);
    }

    /// <summary>The machine's node reads a quoted path with a space back as the one path (node is on every machine that runs the functional tests too).</summary>
    [Fact]
    public async Task WithPreload_QuotedPathIsLoadedByNode()
    {
        var directory = Path.Combine(Path.GetTempPath(), "agent vault \"node\" " + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var preload = Path.Combine(directory, "mark.cjs");
            await File.WriteAllTextAsync(preload, "globalThis.__agentVaultMark = 'loaded';\n");
            var startInfo = new ProcessStartInfo("node", ["-e", "process.stdout.write(String(globalThis.__agentVaultMark))"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            startInfo.Environment["NODE_OPTIONS"] = NodeOptions.WithPreload("--no-warnings", preload);

            using var process = Process.Start(startInfo)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, error);
            Assert.Equal("loaded", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
