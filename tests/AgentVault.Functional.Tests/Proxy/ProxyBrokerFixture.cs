using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// A real broker process (<c>server --dev --resolve api.upstream.test:127.0.0.1 --upstream-ca test-ca.pem</c>), an HTTPS test
/// upstream with a certificate from a per-run test CA, the secret in the file store, and one agent whose token the tests use.
/// </summary>
public class ProxyBrokerFixture : IAsyncLifetime
{
    public const string Secret = "sk-functional-SECRET-9f8e7d";
    public const string BasicPassword = "pw-functional-SECRET-1a2b";

    private BrokerEnvironment? _environment;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public TestCertificateAuthority UpstreamCa => Environment.UpstreamCa;

    public TestUpstream Upstream { get; private set; } = null!;

    public BrokerProcess Broker => Environment.Process;

    public string Token { get; private set; } = string.Empty;

    /// <summary>The broker's CA certificate (PEM file) that agents trust.</summary>
    public string BrokerCaPath => Environment.CaPath;

    /// <summary>Extra environment for the broker process (a derived fixture can raise the log level, for instance).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ServerEnvironment { get; } = new Dictionary<string, string?>();

    public string ProxyUrlWithCredentials => Environment.ProxyUrl(Token);

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Functional Upstream CA",
            Hosts = ["api.upstream.test"],
            Arguments = ["--resolve", "private.upstream.test:169.254.169.254"],
            Environment = ServerEnvironment,
        });
        Upstream = Environment.Own(await TestUpstream.StartAsync(UpstreamCa));
        await Environment.PutSecretsAsync(("api", Secret), ("basic", BasicPassword));
        Token = (await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(Config(Upstream.Port))!))["claude"];
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    // One service per built-in scheme and substitution surface; every service sits on the one upstream under its own path
    // ("unavailable" refers to a secret that was never stored: 502 credential_unavailable).
    // The echo upstream returns what it received, so response redaction is off: the tests read the injected value back.
    private static string Config(int port) => $$$"""
    {
      "vaults": [{
        "name": "dev",
        "unmatched": "deny",
        "credentials": { "API_KEY": "local:api", "BASIC_PW": "local:basic", "NEVER_STORED": "local:never-stored" },
        "services": [
          { "name": "bearer", "host": "api.upstream.test:{{{port}}}/echo/bearer/**", "auth": { "type": "bearer", "token": "API_KEY" }, "redact": "off" },
          { "name": "basic", "host": "api.upstream.test:{{{port}}}/echo/basic/**", "auth": { "type": "basic", "username": "API_KEY", "password": "BASIC_PW" }, "redact": "off" },
          { "name": "apikey", "host": "api.upstream.test:{{{port}}}/echo/apikey/**", "auth": { "type": "api-key", "key": "API_KEY", "header": "x-api-key" }, "redact": "off" },
          { "name": "custom", "host": "api.upstream.test:{{{port}}}/echo/custom/**", "auth": { "type": "custom", "headers": { "x-custom": "Key {{ API_KEY }}" } }, "redact": "off" },
          { "name": "subst", "host": "api.upstream.test:{{{port}}}/echo/subst/**", "auth": { "type": "passthrough" }, "redact": "off",
            "substitutions": [{ "key": "API_KEY", "placeholder": "__api_key__", "in": ["path", "query", "header", "body"] }] },
          { "name": "ws", "host": "api.upstream.test:{{{port}}}/ws", "auth": { "type": "passthrough" }, "redact": "off",
            "substitutions": [{ "key": "API_KEY", "placeholder": "__api_key__", "in": ["websocket"] }] },
          { "name": "unavailable", "host": "api.upstream.test:{{{port}}}/echo/unavailable/**", "auth": { "type": "bearer", "token": "NEVER_STORED" }, "redact": "off" },
          { "name": "blocked", "host": "private.upstream.test", "auth": { "type": "bearer", "token": "API_KEY" }, "redact": "off" },
          { "name": "rest", "host": "api.upstream.test:{{{port}}}", "auth": { "type": "bearer", "token": "API_KEY" }, "redact": "off" }
        ]
      }],
      "agents": [{ "name": "claude", "vaults": ["dev"] }]
    }
    """;
}
