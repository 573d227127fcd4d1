using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// One broker process and one misbehaving upstream shared by the policy tests (a collection: they run one after another,
/// so rate buckets and in-flight slots of one test never meet another's). The configuration below is applied with
/// <c>agent-vault apply -f</c>; each service has its own host name so its rules see the paths the tests send.
/// </summary>
public sealed class PolicyFixture : IAsyncLifetime
{
    /// <summary>The injected credential; its characters make every encoding (JSON, URL, base64) differ from the raw value.</summary>
    public const string Secret = "sk+Pol&icy<Secret>/9f8e";
    public const string BasicUser = "svc-policy-user";
    public const string BasicPassword = "pw=Basic+SECRET/77";

    internal static readonly string[] Modes = ["on", "off", "strict"];
    internal static readonly string[] Kinds = ["bearer", "basic", "subst"];

    private TestUpstream? _upstream;
    private PolicyEndpoints? _endpoints;
    private ChunkedTrailerUpstream? _trailers;
    private BrokerEnvironment? _broker;
    private Dictionary<string, string> _tokens = [];

    /// <summary>The one test upstream (HTTPS, and plain HTTP on <see cref="TestUpstream.PlainPort"/>) with the <see cref="Endpoints"/> added.</summary>
    internal TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    /// <summary>The upstream's misbehaving endpoints and their state (hold gates, WebSocket messages received).</summary>
    internal PolicyEndpoints Endpoints => _endpoints ?? throw new InvalidOperationException("not started");

    internal BrokerEnvironment Broker => _broker ?? throw new InvalidOperationException("not started");

    internal TestCertificateAuthority UpstreamCa => Broker.UpstreamCa;

    /// <summary>Every host name the configuration uses (all pinned to 127.0.0.1).</summary>
    internal static IEnumerable<string> Hosts =>
        new[] { "rules", "open", "closed", "limited", "slots", "gitlab", "plain", "deep", "scoped" }.Concat(Modes.SelectMany(m => Kinds.Append("ws").Append("trailers-h1").Select(k => $"{k}-{m}"))).Select(h => h + ".upstream.test");

    /// <summary>The token of an agent of the configuration: claude, other (defaults), narrow (2 in flight), socket (1), slowpoke (3/min), leaker (1000/s, for the many redaction cases), throttled (1/h).</summary>
    internal string Token(string agent) => _tokens[agent];

    /// <summary>https://NAME.upstream.test:PORT + <paramref name="pathAndQuery"/>.</summary>
    internal string Url(string name, string pathAndQuery) => $"https://{name}.upstream.test:{Upstream.Port}{pathAndQuery}";

    /// <summary>https://trailers-h1-MODE.upstream.test:PORT/ of the HTTP/1.1 chunked-trailer upstream.</summary>
    internal string TrailerUrl(string mode) => $"https://trailers-h1-{mode}.upstream.test:{_trailers!.Port}/";

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Policy Upstream CA", Hosts = Hosts });
        var endpoints = new PolicyEndpoints();
        _upstream = Broker.Own(await TestUpstream.StartAsync(UpstreamCa, ["*.upstream.test", "api.upstream.test"], endpoints: endpoints.Map, plainHttp: true));
        _endpoints = Broker.Own(endpoints);
        _trailers = Broker.Own(new ChunkedTrailerUpstream(UpstreamCa));
        await Broker.PutSecretsAsync(("api", Secret), ("basic-user", BasicUser), ("basic-pw", BasicPassword));
        _tokens = await Broker.ApplyAndGetTokensAsync(Config(Upstream.Port, Upstream.PlainPort!.Value, _trailers.Port));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>The configuration as an operator writes it.</summary>
    internal static string Config(int port, int plainPort, int trailerPort)
    {
        var trailerServices = string.Concat(Modes.Select(mode => $$"""
              - name: trailers-h1-{{mode}}
                host: "trailers-h1-{{mode}}.upstream.test:{{trailerPort}}"
                redact: "{{mode}}"
                auth: { type: bearer, token: API_KEY }

        """));
        var leakServices = string.Concat(Modes.SelectMany(mode => Kinds.Select(kind => $$"""
              - name: {{kind}}-{{mode}}
                host: "{{kind}}-{{mode}}.upstream.test:{{port}}"
                redact: "{{mode}}"
                {{Auth(kind)}}

        """)));
        var webSocketServices = string.Concat(Modes.Select(mode => $$"""
              - name: ws-{{mode}}
                host: "ws-{{mode}}.upstream.test:{{port}}"
                redact: "{{mode}}"
                auth: { type: bearer, token: API_KEY }
                substitutions: [{ key: API_KEY, placeholder: __api_key__, in: [websocket, query] }]

        """));
        return $$"""
        vaults:
          - name: dev
            credentials:
              API_KEY: "local:api"
              BASIC_USER: "local:basic-user"
              BASIC_PW: "local:basic-pw"
            services:
              - name: rules
                host: "rules.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rules:
                  allow: ["GET /repos/**", "POST /repos/*/*/pulls", "GET /files/*.json"]
                  deny: ["* /repos/*/*/hooks/**", "* /repos/*/*/keys"]
              - name: open
                host: "open.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rules:
                  deny: ["DELETE /**", "* /admin/**"]
              - name: closed
                host: "closed.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rules: { allow: [] }
              - name: gitlab
                host: "gitlab.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rules:
                  allow: ["GET /api/v4/projects/*", "GET /api/v4/projects/*/issues"]
              - name: plain
                host: "plain.upstream.test:{{plainPort}}"
                auth: { type: passthrough }
                rules:
                  deny: ["DELETE /**"]
              - name: scoped
                host: "scoped.upstream.test:{{port}}/api/**"
                auth: { type: bearer, token: API_KEY }
              - name: deep
                host: "deep.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rules:
                  deny: ["GET /**/a/**/a/**/a/**/b"]
              - name: limited
                host: "limited.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
                rate_limit: 2/min
              - name: slots
                host: "slots.upstream.test:{{port}}"
                auth: { type: bearer, token: API_KEY }
        {{leakServices}}
        {{webSocketServices}}
        {{trailerServices}}
        agents:
          - name: claude
            vaults: [dev]
          - name: other
            vaults: [dev]
          - name: narrow
            vaults: [dev]
            max_in_flight: 2
          - name: socket
            vaults: [dev]
            max_in_flight: 1
          - name: slowpoke
            vaults: [dev]
            rate_limit: 3/min
          - name: leaker
            vaults: [dev]
            rate_limit: 1000/s
          - name: throttled
            vaults: [dev]
            rate_limit: 1/h
        """;
    }

    private static string Auth(string kind) => kind switch
    {
        "bearer" => "auth: { type: bearer, token: API_KEY }",
        "basic" => "auth: { type: basic, username: BASIC_USER, password: BASIC_PW }",
        _ => "auth: { type: passthrough }\n        substitutions: [{ key: API_KEY, placeholder: __api_key__, in: [query, body] }]",
    };
}
