using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>The CLI's own behaviour that needs no running broker: usage errors, exit codes, unreachable broker, missing token.</summary>
public sealed class CliWithoutBrokerTests : IDisposable
{
    private readonly string _emptyDataDir = Directory.CreateTempSubdirectory("agent-vault-cli-").FullName;

    public void Dispose() => Directory.Delete(_emptyDataDir, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("vault")]
    [InlineData("no-such-command")]
    [InlineData("agent|create|claude")]
    [InlineData("store|add|x|--type|file|--ttl|5 minutes")]
    [InlineData("vault|create|dev|--unmatched|allow")]
    [InlineData("env|--format|toml")]
    [InlineData("apply")]
    [InlineData("run|--vault|dev")]
    [InlineData("logs|--limit|0")]
    [InlineData("logs|--limit|10001")]
    public async Task UsageError_ExitsWith2AndExplainsOnStderr(string commandLine)
    {
        var args = commandLine.Split('|', StringSplitOptions.RemoveEmptyEntries);

        var result = await new CliRunner().RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vualt|list", "error: unknown command 'vualt' (did you mean 'vault'?)")]
    [InlineData("vault|lisst", "error: unknown command 'vault lisst' (did you mean 'vault list'?)")]
    [InlineData("xyzzy", "error: unknown command 'xyzzy'")]
    [InlineData("vault", "error: 'vault' needs a command: create, list, delete, credential, service")]
    public async Task AMistypedOrMissingCommand_IsOneClearError(string commandLine, string expected)
    {
        var result = await new CliRunner().RunAsync(commandLine.Split('|'));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("error:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Help_ExitsWith0AndListsCommands()
    {
        var result = await new CliRunner().RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "server", "apply", "export", "store", "secret", "vault", "agent", "token", "logs", "ca", "plugins", "run", "env", "version" })
        {
            Assert.Contains($"  {command}", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsVersionAsTextAndJson()
    {
        var runner = new CliRunner();

        var text = await runner.RunAsync("version");
        var json = await runner.RunAsync("version", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(@"^agent-vault \d+\.\d+\.\d+", text.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Matches(@"^\d+\.\d+\.\d+", document.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task BrokerNotRunning_ExitsWith1AndNamesTheAddress()
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";
        var runner = new CliRunner(new Dictionary<string, string?>
        {
            ["AGENT_VAULT_ADDR"] = address,
            ["AGENT_VAULT_ADMIN_TOKEN"] = "ava_not-a-real-token",
        });

        var result = await runner.RunAsync("vault", "list");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot reach the broker at {address}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ava_not-a-real-token", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAdminToken_ExitsWith1AndSaysWhereItLooked()
    {
        var runner = new CliRunner(new Dictionary<string, string?>
        {
            ["AGENT_VAULT_ADDR"] = $"http://127.0.0.1:{UnusedPort()}",
            ["AGENT_VAULT_DATA_DIR"] = _emptyDataDir,
        });

        var result = await runner.RunAsync("agent", "list");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("AGENT_VAULT_ADMIN_TOKEN", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_emptyDataDir, "admin.token"), result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWithoutAgentToken_ExitsWith1()
    {
        var runner = new CliRunner(new Dictionary<string, string?> { ["AGENT_VAULT_ADDR"] = $"http://127.0.0.1:{UnusedPort()}" });

        var result = await runner.RunAsync("run", "--", "true");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("AGENT_VAULT_TOKEN", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyWithBrokenYaml_ExitsWith1AndShowsLineAndColumn()
    {
        var file = Path.Combine(_emptyDataDir, "broken.yaml");
        await File.WriteAllTextAsync(file, "vaults:\n  - name: dev\n    unmatched: [deny\n");
        var runner = new CliRunner(new Dictionary<string, string?> { ["AGENT_VAULT_ADMIN_TOKEN"] = "ava_unused" });

        var result = await runner.RunAsync("apply", "-f", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"broken\.yaml:\d+:\d+: ", result.Stderr);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
