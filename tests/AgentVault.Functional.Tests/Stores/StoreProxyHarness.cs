using System.Globalization;
using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// A <see cref="BrokerEnvironment"/> with its plugins, a recording HTTPS upstream named <c>api.upstream.test</c> (its certificate
/// issued by the CA of the fake store, which the broker also trusts), a configuration applied with the CLI, an agent
/// token, and curl as the agent's client through the proxy.
/// </summary>
internal sealed class StoreProxyHarness : IAsyncDisposable
{
    public const string UpstreamHost = "api.upstream.test";
    public const string Vault = "payments";

    private readonly BrokerEnvironment _environment;
    private string _token = string.Empty;

    private StoreProxyHarness(BrokerEnvironment environment, RecordingUpstream upstream)
    {
        _environment = environment;
        Upstream = upstream;
    }

    public BrokerProcess Broker => _environment.Process;

    public RecordingUpstream Upstream { get; }

    /// <summary>
    /// Starts upstream and broker. <paramref name="ca"/> issues the upstream's certificate for <see cref="UpstreamHost"/> and is
    /// also the broker's <c>--upstream-ca</c> (so a fake store with a certificate of the same CA is trusted too).
    /// </summary>
    public static async Task<StoreProxyHarness> StartAsync(TestCertificateAuthority ca, IReadOnlyDictionary<string, string?> environment)
    {
        var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            Hosts = [UpstreamHost],
            MoreUpstreamCaFiles = [ca.PemPath],
            Arguments = ["--allow-network", "127.0.0.0/8"],
            Environment = environment,
        });
        var upstream = broker.Own(await RecordingUpstream.StartAsync(ca.IssueServerCertificate(UpstreamHost, "localhost", "127.0.0.1")));
        return new StoreProxyHarness(broker, upstream);
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

    public ValueTask DisposeAsync() => _environment.DisposeAsync();

    // One service per credential key, told apart by a path glob on the same upstream host.
    private static string Service(string key) => key.ToLowerInvariant().Replace('_', '-');
}
