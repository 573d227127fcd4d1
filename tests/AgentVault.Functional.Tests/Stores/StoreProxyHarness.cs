using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.Azure;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// The real broker process with its plugins, a recording HTTPS upstream named <c>api.upstream.test</c> (pinned to
/// 127.0.0.1 with <c>--resolve</c>, trusted with <c>--upstream-ca</c>), a configuration applied with the CLI, an agent
/// token, and curl as the agent's client through the proxy.
/// </summary>
internal sealed class StoreProxyHarness : IAsyncDisposable
{
    public const string UpstreamHost = "api.upstream.test";
    public const string Vault = "payments";

    private readonly string _brokerCaFile;
    private string _token = string.Empty;

    private StoreProxyHarness(BrokerProcess broker, RecordingUpstream upstream, string brokerCaFile)
    {
        Broker = broker;
        Upstream = upstream;
        _brokerCaFile = brokerCaFile;
    }

    public BrokerProcess Broker { get; }

    public RecordingUpstream Upstream { get; }

    /// <summary>
    /// Starts upstream and broker. <paramref name="certificates"/> must cover <see cref="UpstreamHost"/>; its CA is the
    /// broker's <c>--upstream-ca</c> (so a fake store served with the same certificates is trusted too).
    /// </summary>
    public static async Task<StoreProxyHarness> StartAsync(FakeAzureCertificates certificates, IReadOnlyDictionary<string, string?> environment)
    {
        var upstream = await RecordingUpstream.StartAsync(certificates.Server);
        var work = Directory.CreateTempSubdirectory("agent-vault-stores-e2e-").FullName;
        var upstreamCa = Path.Combine(work, "upstream-ca.pem");
        await File.WriteAllTextAsync(upstreamCa, certificates.CaPem);
        var broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Arguments = ["--resolve", $"{UpstreamHost}:127.0.0.1", "--upstream-ca", upstreamCa, "--allow-network", "127.0.0.0/8"],
            Environment = environment,
        });
        var brokerCa = Path.Combine(work, "broker-ca.pem");
        var fetched = await broker.Cli.RunAsync("ca", "fetch", "--output", brokerCa);
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        return new StoreProxyHarness(broker, upstream, brokerCa);
    }

    /// <summary>Applies a configuration (stores and the <c>payments</c> vault) and creates an agent for it.</summary>
    public async Task ConfigureAsync(string storesYaml, IReadOnlyDictionary<string, string> credentials)
    {
        var yaml = new StringBuilder(storesYaml).Append("vaults:\n").Append($"  - name: {Vault}\n    credentials:\n");
        foreach (var (key, reference) in credentials)
        {
            yaml.Append($"      {key}: \"{reference}\"\n");
        }

        yaml.Append("    services:\n");
        foreach (var key in credentials.Keys)
        {
            yaml.Append($"      - name: {Service(key)}\n        host: \"{UpstreamHost}:{Upstream.Port}/{Service(key)}/*\"\n");
            yaml.Append($"        auth: {{ type: bearer, token: {key} }}\n");
        }

        var file = Path.Combine(Broker.WorkDir, "config.yaml");
        await File.WriteAllTextAsync(file, yaml.ToString());
        var applied = await Broker.Cli.RunAsync("apply", "-f", file);
        Assert.True(applied.ExitCode == 0, applied + "\n" + yaml);
        var agent = await Broker.Cli.RunAsync("agent", "create", "e2e-" + Guid.NewGuid().ToString("N")[..8], "--vault", Vault, "--json");
        Assert.True(agent.ExitCode == 0, agent.ToString());
        using var json = JsonDocument.Parse(agent.Stdout);
        _token = json.RootElement.GetProperty("token").GetString()!;
    }


    /// <summary>Sends GET https://api.upstream.test:PORT/&lt;service&gt;/charge through the proxy with curl, as the agent.</summary>
    public async Task<ProxyResponse> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("curl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-sS", "--max-time", "60", "--proxy", Broker.ProxyUri.AbsoluteUri, "--proxy-user", $"{_token}:{Vault}",
            "--cacert", _brokerCaFile, "-w", "\n%{http_code}", $"https://{UpstreamHost}:{Upstream.Port}/{Service(key)}/charge",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var newline = output.LastIndexOf('\n');
        Assert.True(newline >= 0 && process.ExitCode == 0, $"curl exit {process.ExitCode}: {output} {await stderr}");
        return new ProxyResponse(int.Parse(output[(newline + 1)..], CultureInfo.InvariantCulture), output[..newline]);
    }

    /// <summary>Polls until <paramref name="done"/> holds for a response, with a deadline; returns that response.</summary>
    public async Task<ProxyResponse> PollAsync(string key, Func<ProxyResponse, bool> done, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        ProxyResponse last;
        do
        {
            last = await GetAsync(key);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"no matching response within {deadline}; last: {last}\n{Broker.Stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    // One service per credential key, told apart by a path glob on the same upstream host.
    private static string Service(string key) => key.ToLowerInvariant().Replace('_', '-');
}
