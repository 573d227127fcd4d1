using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary>
/// A broker started with the given <c>--audit-sink</c> flags and an HTTPS upstream (<c>api.upstream.test</c>); its one
/// service injects a bearer secret, so a test can proxy a request, change the configuration, and look for both records
/// — and for the secret, which must appear nowhere.
/// </summary>
internal sealed class AuditSinkEnvironment : IAsyncDisposable
{
    public const string Secret = "sk_sink_secret_5b9e1c";

    private AuditSinkEnvironment(BrokerEnvironment broker, RecordingUpstream upstream)
    {
        Broker = broker;
        Upstream = upstream;
    }

    public BrokerEnvironment Broker { get; }

    public RecordingUpstream Upstream { get; }

    public string Token { get; private set; } = string.Empty;

    public static async Task<AuditSinkEnvironment> StartAsync(IEnumerable<string> sinkArguments, TestCertificateAuthority? upstreamCa = null)
    {
        var arguments = new List<string>();
        foreach (var sink in sinkArguments)
        {
            arguments.AddRange(["--audit-sink", sink]);
        }

        var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            Hosts = ["api.upstream.test"],
            Arguments = arguments,
            MoreUpstreamCaFiles = upstreamCa is null ? [] : [upstreamCa.PemPath],
        });
        var upstream = broker.Own(await RecordingUpstream.StartAsync(broker.UpstreamCa));
        var environment = new AuditSinkEnvironment(broker, upstream);
        await broker.PutSecretsAsync(("api", Secret));
        var tokens = await broker.ApplyAndGetTokensAsync($$"""
        vaults:
          - name: dev
            credentials:
              API_KEY: "local:api"
            services:
              - name: api
                host: "api.upstream.test:{{upstream.Port}}"
                auth: { type: bearer, token: API_KEY }
        agents:
          - name: sinker
            vaults: [dev]
        """);
        environment.Token = tokens["sinker"];
        return environment;
    }

    /// <summary>Proxies one GET to <paramref name="path"/> as the agent; the upstream answers 200.</summary>
    public async Task ProxyAsync(string path)
    {
        var result = await Broker.CurlAsync(Token, "-o", "/dev/null", "-w", "%{http_code}", $"https://api.upstream.test:{Upstream.Port}{path}");
        Assert.True(result.ExitCode == 0 && result.StdOut.Trim() == "200", result.ToString());
        Assert.Equal("Bearer " + Secret, Upstream.AuthorizationsFor(path).Single());
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();
}
