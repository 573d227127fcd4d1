using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// A broker in front of two upstreams on 127.0.0.1: an HTTPS one (<c>tls.upstream.test</c>) and a plain-HTTP one (every other
/// name). Services: <c>secure</c> (bearer over TLS), <c>plain</c> (bearer on the plain port), <c>lab</c> (bearer on the plain
/// port with <c>allow_http: true</c>), <c>subst</c> (passthrough with a query substitution on the plain port), <c>open</c>
/// (passthrough on the plain port), <c>default-port</c> (no port: 443 only) and <c>any-port</c> (<c>:*</c>).
/// </summary>
public sealed class CleartextFixture : IAsyncLifetime
{
    public const string Secret = "sk-cleartext-SECRET-5d4c";

    private TestUpstream? _tls;
    private TestUpstream? _plain;
    private BrokerEnvironment? _broker;

    internal static readonly string[] Hosts = ["tls", "plain", "lab", "subst", "open", "default-port", "any-port"];

    internal TestUpstream Tls => _tls ?? throw new InvalidOperationException("not started");

    internal TestUpstream Plain => _plain ?? throw new InvalidOperationException("not started");

    internal BrokerEnvironment Broker => _broker ?? throw new InvalidOperationException("not started");

    internal string Token { get; private set; } = string.Empty;

    /// <summary>What <c>apply</c> printed on stderr (its warnings).</summary>
    internal string ApplyStderr { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Cleartext Upstream CA", Hosts = Hosts.Select(h => h + ".upstream.test") });
        _tls = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        _plain = Broker.Own(await TestUpstream.StartAsync(ca: null));
        await Broker.PutSecretsAsync(("api", Secret));
        var applied = await Broker.ApplyAsync(Config(Tls.Port, Plain.Port), "--json");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        ApplyStderr = applied.Stderr;
        using var answer = System.Text.Json.JsonDocument.Parse(applied.Stdout);
        Token = answer.RootElement.GetProperty("tokens")[0].GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    private static string Config(int tlsPort, int plainPort) => $$"""
        vaults:
          - name: dev
            credentials:
              API_KEY: "local:api"
            services:
              - name: secure
                host: "tls.upstream.test:{{tlsPort}}"
                auth: { type: bearer, token: API_KEY }
                redact: "off"
              - name: plain
                host: "plain.upstream.test:{{plainPort}}"
                auth: { type: bearer, token: API_KEY }
              - name: lab
                host: "lab.upstream.test:{{plainPort}}"
                auth: { type: bearer, token: API_KEY }
                allow_http: true
                redact: "off"
              - name: subst
                host: "subst.upstream.test:{{plainPort}}"
                auth: { type: passthrough }
                substitutions: [{ key: API_KEY, placeholder: __api_key__, in: [query] }]
              - name: open
                host: "open.upstream.test:{{plainPort}}"
                auth: { type: passthrough }
              - name: default-port
                host: "default-port.upstream.test"
                auth: { type: bearer, token: API_KEY }
              - name: any-port
                host: "any-port.upstream.test:*"
                auth: { type: bearer, token: API_KEY }
                redact: "off"
        agents:
          - name: claude
            vaults: [dev]
        """;
}
