using System.Diagnostics;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>
/// What a person sees starting the server in a terminal (run under <c>script</c>, which gives it a pseudo-terminal): the
/// warnings, the admin token and the listeners, one short line each; no timestamps, no informational lines. With
/// <c>--log-level information</c> those come back.
/// </summary>
public sealed class TerminalOutputTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("agent-vault-tty-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task OnATerminal_TheServerPrintsWarningsTokenAndListenersOnly()
    {
        var lines = await StartOnATerminalAsync();

        Assert.Contains(lines, l => l.StartsWith("admin token: ava_", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning: --dev: upstreams on loopback, private", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("api listening on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("info:", StringComparison.Ordinal) || l.Contains(" info: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Length > 4 && char.IsAsciiDigit(l[0]) && l[4] == '-');
        Assert.True(lines.Count <= 8, string.Join("\n", lines));
    }

    [Fact]
    public async Task OnATerminal_LogLevelInformation_ShowsTheInformationalLines()
    {
        var lines = await StartOnATerminalAsync("--log-level", "information");

        Assert.Contains(lines, l => l.StartsWith("info: Loaded plugin FileStore", StringComparison.Ordinal));
    }

    /// <summary>Starts <c>server --dev</c> under <c>script</c> and returns its output lines up to the proxy listener line.</summary>
    private async Task<List<string>> StartOnATerminalAsync(params string[] extra)
    {
        var command = string.Join(' ', new[] { TestPaths.DotnetHost, TestPaths.BrokerDll, "server", "--dev", "--data-dir", _dataDir, "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0" }
            .Concat(extra).Select(a => "'" + a + "'"));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-qefc", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENT_VAULT_DATA_DIR"] = _dataDir;
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                // The terminal may get control sequences (keypad mode) before the first line.
                var text = new string(line.Where(c => !char.IsControl(c)).ToArray()).Replace("[?1h=", string.Empty, StringComparison.Ordinal).Trim();
                lines.Add(text);
                if (text.StartsWith("proxy listening on", StringComparison.Ordinal))
                {
                    return lines;
                }
            }

            throw new InvalidOperationException("the server stopped before listening:\n" + string.Join("\n", lines));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
