using System.Security.Cryptography.X509Certificates;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary><c>env</c> and <c>run</c>: only AGENT_VAULT_ADDR/TOKEN/VAULT in, proxy and CA variables out.</summary>
public sealed class AgentSideTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrokerProcess _broker = null!;
    private CliRunner _agent = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        CliAssert.Ok(await _broker.Cli.RunAsync("vault", "create", "dev"));
        CliAssert.Ok(await _broker.Cli.RunAsync("vault", "create", "other"));
        _token = CliAssert.Json(await _broker.Cli.RunAsync("agent", "create", "claude", "--vault", "dev", "--vault", "other", "--json")).GetProperty("token").GetString()!;

        // The agent side gets no admin credentials at all.
        _agent = _broker.Cli.With([
            new("AGENT_VAULT_TOKEN", _token),
            new("AGENT_VAULT_VAULT", "dev"),
            new("AGENT_VAULT_DATA_DIR", Path.Combine(_broker.WorkDir, "agent-has-no-data-dir")),
        ]);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task EnvJson_SetsProxyWithCredentialsNoProxyAndCaFiles()
    {
        var env = CliAssert.Json(await _agent.RunAsync("env", "--format", "json"));

        var proxy = new Uri(env.GetProperty("HTTPS_PROXY").GetString()!);
        Assert.Equal(_broker.ProxyUri.Port, proxy.Port);
        Assert.Equal($"{Uri.EscapeDataString(_token)}:dev", proxy.UserInfo);
        foreach (var name in new[] { "HTTP_PROXY", "https_proxy", "http_proxy" })
        {
            Assert.Equal(env.GetProperty("HTTPS_PROXY").GetString(), env.GetProperty(name).GetString());
        }

        Assert.Equal("1", env.GetProperty("NODE_USE_ENV_PROXY").GetString());
        var noProxy = env.GetProperty("NO_PROXY").GetString()!.Split(',');
        Assert.Contains("localhost", noProxy);
        Assert.Contains("127.0.0.1", noProxy);
        Assert.Contains("::1", noProxy);

        var ca = env.GetProperty("NODE_EXTRA_CA_CERTS").GetString()!;
        var bundle = env.GetProperty("SSL_CERT_FILE").GetString()!;
        Assert.Equal(ca, env.GetProperty("DENO_CERT").GetString());
        foreach (var name in new[] { "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "AWS_CA_BUNDLE" })
        {
            Assert.Equal(bundle, env.GetProperty(name).GetString());
        }

        var brokerCa = CliAssert.Ok(await _broker.Cli.RunAsync("ca", "fetch")).Stdout.Trim();
        Assert.Equal(brokerCa, (await File.ReadAllTextAsync(ca)).Trim());
        var bundleText = await File.ReadAllTextAsync(bundle);
        Assert.EndsWith(brokerCa, bundleText.Trim(), StringComparison.Ordinal);
        if (File.Exists("/etc/ssl/certs/ca-certificates.crt"))
        {
            var store = new X509Certificate2Collection();
            store.ImportFromPemFile(bundle);
            Assert.True(store.Count > 10, "the bundle should hold the system roots plus the broker CA");
        }

        // The Node preload beside the CA, in NODE_OPTIONS (after whatever NODE_OPTIONS this process had).
        var nodeOptions = env.GetProperty("NODE_OPTIONS").GetString()!;
        var at = nodeOptions.LastIndexOf("--require ", StringComparison.Ordinal);
        Assert.True(at >= 0, nodeOptions);
        var preload = nodeOptions[(at + "--require ".Length)..].Trim('"');
        Assert.Equal(Path.GetDirectoryName(ca), Path.GetDirectoryName(preload));
        Assert.Contains("undici.globalDispatcher.1", await File.ReadAllTextAsync(preload), StringComparison.Ordinal);
        Assert.Equal(FileModes.OwnerReadWrite, FileModes.Of(preload));

        Assert.Equal(FileModes.OwnerReadWrite, FileModes.Of(ca));
        Assert.Equal(FileModes.OwnerReadWrite, FileModes.Of(bundle));
        Assert.Equal(FileModes.OwnerOnlyDirectory, FileModes.Of(Path.GetDirectoryName(ca)!));
    }

    [Fact]
    public async Task EnvSh_IsSourceableByAShell()
    {
        var script = CliAssert.Ok(await _agent.RunAsync("env", "--vault", "other")).Stdout;
        Assert.All(script.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("export ", l, StringComparison.Ordinal));

        var path = Path.Combine(_broker.WorkDir, "env.sh");
        await File.WriteAllTextAsync(path, script + "printf '%s' \"$HTTPS_PROXY\"\n");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", [path]) { RedirectStandardOutput = true })!;
        var printed = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.EndsWith($"{Uri.EscapeDataString(_token)}:other@127.0.0.1:{_broker.ProxyUri.Port}", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvDotenv_PrintsKeyValueLines()
    {
        var dotenv = CliAssert.Ok(await _agent.RunAsync("env", "--format", "dotenv")).Lines;

        Assert.Contains(dotenv, l => l == "NODE_USE_ENV_PROXY=1");
        Assert.Contains(dotenv, l => l.StartsWith("HTTPS_PROXY=http://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_GivesTheChildTheEnvironmentAndReturnsItsExitCode()
    {
        var result = await _agent.RunAsync("run", "--", "sh", "-c", "printf '%s|%s|%s' \"$HTTPS_PROXY\" \"$SSL_CERT_FILE\" \"$NODE_USE_ENV_PROXY\"; exit 7");

        CliAssert.Failed(result, exitCode: 7);
        var parts = result.Stdout.Split('|');
        Assert.Contains($"{Uri.EscapeDataString(_token)}:dev@", parts[0], StringComparison.Ordinal);
        Assert.True(File.Exists(parts[1]), parts[1]);
        Assert.Equal("1", parts[2]);
    }

    [Fact]
    public async Task Run_PassesStdinAndArgumentsThrough()
    {
        var result = await _agent.RunAsync(["run", "--vault", "other", "--", "sh", "-c", "cat; printf ' %s' \"$1\"", "sh", "--not-an-option-of-agent-vault"], stdin: "piped");

        CliAssert.Ok(result);
        Assert.Equal("piped --not-an-option-of-agent-vault", result.Stdout);
    }

    // A signal ignored when a process starts stays ignored for it and its children (nohup, and `cmd &` in a
    // non-interactive shell, do that to HUP, INT and QUIT; test runners are often started that way), and neither .NET
    // nor a shell can catch it then. `env --default-signal` gives agent-vault the default dispositions a terminal
    // session would; env execs, so the process id is agent-vault's.
    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    [InlineData("INT")]
    [InlineData("QUIT")]
    public async Task RunSignal_IsForwardedToTheChildAndItsExitCodeReturned(string signal)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--default-signal=HUP,INT,QUIT,TERM", TestPaths.DotnetHost, TestPaths.BrokerDll, "run", "--", "sh", "-c", $"trap 'echo got-{signal}; exit 42' {signal}; echo ready; while :; do sleep 0.1; done" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _agent.Environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Assert.Equal("ready", await process.StandardOutput.ReadLineAsync(deadline.Token));
            using (var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }

            Assert.Equal($"got-{signal}", await process.StandardOutput.ReadLineAsync(deadline.Token));
            await process.WaitForExitAsync(deadline.Token);
            Assert.Equal(42, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task RunUnknownCommand_Exits127()
    {
        var result = await _agent.RunAsync("run", "--", "definitely-not-a-command-agent-vault");

        CliAssert.Failed(result, exitCode: 127);
        Assert.Contains("not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvWithVaultTheTokenDoesNotCover_Exits1()
    {
        CliAssert.Ok(await _broker.Cli.RunAsync("vault", "create", "secret-ops"));

        CliAssert.Failed(await _agent.RunAsync("env", "--vault", "secret-ops"));
    }

    [Fact]
    public async Task EnvWithBadToken_Exits1()
    {
        var result = await _agent.With("AGENT_VAULT_TOKEN", "avt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").RunAsync("env");

        CliAssert.Failed(result);
        Assert.DoesNotContain("avt_AAAA", result.Output, StringComparison.Ordinal);
    }
}
