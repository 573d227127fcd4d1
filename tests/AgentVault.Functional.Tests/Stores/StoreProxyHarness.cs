using System.Globalization;
using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.Azure;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// A <see cref="BrokerEnvironment"/> with its plugins, a recording HTTPS upstream named <c>api.upstream.test</c> (served with
/// the fake store's certificates, whose CA the broker also trusts), a configuration applied with the CLI, an agent
/// token, and curl as the agent's client through the proxy.
/// </summary>
internal sealed class StoreProxyHarness : IAsyncDisposable
{
    public const string UpstreamHost = "api.upstream.test";
    public const string Vault = "payments";

    private readonly BrokerEnvironment _environment;
    private readonly string _upstreamCaFile;
    private string _token = string.Empty;

    private StoreProxyHarness(BrokerEnvironment environment, RecordingUpstream upstream, string upstreamCaFile)
    {
        _environment = environment;
        Upstream = upstream;
        _upstreamCaFile = upstreamCaFile;
    }

    public BrokerProcess Broker => _environment.Process;

    public RecordingUpstream Upstream { get; }

    /// <summary>
    /// Starts upstream and broker. <paramref name="certificates"/> must cover <see cref="UpstreamHost"/>; its CA is also the
    /// broker's <c>--upstream-ca</c> (so a fake store served with the same certificates is trusted too).
    /// </summary>
    public static async Task<StoreProxyHarness> StartAsync(FakeAzureCertificates certificates, IReadOnlyDictionary<string, string?> environment)
    {
        var upstreamCa = Path.Combine(Path.GetTempPath(), "agent-vault-stores-e2e-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(upstreamCa, certificates.CaPem);
        var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            Hosts = [UpstreamHost],
            MoreUpstreamCaFiles = [upstreamCa],
            Arguments = ["--allow-network", "127.0.0.0/8"],
            Environment = environment,
        });
        var upstream = broker.Own(await RecordingUpstream.StartAsync(certificates.Server));
        return new StoreProxyHarness(broker, upstream, upstreamCa);
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

        var applied = await _environment.ApplyAsync(yaml.ToString());
        Assert.True(applied.ExitCode == 0, applied + "\n" + yaml);
        _token = await _environment.CreateAgentAsync("e2e-" + Guid.NewGuid().ToString("N")[..8], Vault);
    }

    /// <summary>Sends GET https://api.upstream.test:PORT/&lt;service&gt;/charge through the proxy with curl, as the agent.</summary>
    public async Task<ProxyResponse> GetAsync(string key)
    {
        var result = await _environment.CurlAsync(_token, Vault, ["-w", "\n%{http_code}", $"https://{UpstreamHost}:{Upstream.Port}/{Service(key)}/charge"]);
        var output = result.StdOut.EndsWith('\n') ? result.StdOut[..^1] : result.StdOut;
        var newline = output.LastIndexOf('\n');
        Assert.True(newline >= 0 && result.ExitCode == 0, $"curl exit {result.ExitCode}: {output} {result.StdErr}");
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
        await _environment.DisposeAsync();
        File.Delete(_upstreamCaFile);
    }

    // One service per credential key, told apart by a path glob on the same upstream host.
    private static string Service(string key) => key.ToLowerInvariant().Replace('_', '-');
}
