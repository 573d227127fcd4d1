using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.OAuth;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// The real broker with a signature-verifying RFC 7523 token endpoint (plain HTTP on loopback, as token endpoints may be)
/// and a <see cref="RecordingUpstream"/>. Three <c>jwt-bearer</c> services, one per key form: an RSA PKCS#8 PEM
/// (RS256), a P-256 PEM (ES256), and a Google-style service-account JSON key (issuer and token URL taken from the file).
/// </summary>
public sealed class JwtBearerFixture : IAsyncLifetime
{
    public const string Vault = "sa";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _google = RSA.Create(2048);
    private BrokerEnvironment? _environment;
    private JwtBearerTokenEndpoint? _endpoint;
    private RecordingUpstream? _upstream;

    public static TheoryData<string, string, string> Services => new()
    {
        // path prefix, expected assertion issuer, expected alg
        { "rs256", "sa-rs256@e2e.test", "RS256" },
        { "es256", "sa-es256@e2e.test", "ES256" },
        { "google", "agent@e2e-project.iam.gserviceaccount.test", "RS256" },
    };

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => Environment.Process;

    public JwtBearerTokenEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("not started");

    internal RecordingUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    internal Task<CurlResponse> CurlAsync(string path) =>
        AgentCurl.SendAsync(Environment, Token, Vault, $"https://api.upstream.test:{Upstream.Port}{path}");

    public async Task InitializeAsync()
    {
        _endpoint = await JwtBearerTokenEndpoint.StartAsync();
        Endpoint.Trust("sa-rs256@e2e.test", _rsa);
        Endpoint.Trust("sa-es256@e2e.test", _ec);
        Endpoint.Trust("agent@e2e-project.iam.gserviceaccount.test", _google);
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "JWT Upstream Test CA",
            Hosts = ["api.upstream.test"],
            DebugLog = true,
        });
        Environment.Own(_endpoint);
        _upstream = Environment.Own(await RecordingUpstream.StartAsync(Environment.UpstreamCa));
        var googleKey = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "e2e-project",
            ["private_key_id"] = "kid-e2e-1",
            ["private_key"] = _google.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "agent@e2e-project.iam.gserviceaccount.test",
            ["token_uri"] = Endpoint.TokenUrl.AbsoluteUri,
        };
        await Environment.PutSecretsAsync(("sa-rs256", _rsa.ExportPkcs8PrivateKeyPem()), ("sa-es256", _ec.ExportPkcs8PrivateKeyPem()), ("sa-google", googleKey.ToJsonString()));
        Token = (await Environment.ApplyAndGetTokensAsync(Config()))["sa-agent"];
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        else if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        _rsa.Dispose();
        _ec.Dispose();
        _google.Dispose();
    }

    private JsonObject Config()
    {
        JsonObject Service(string name, JsonObject auth) =>
            new() { ["name"] = "jwt-" + name, ["host"] = $"api.upstream.test:{Upstream.Port}/{name}/**", ["auth"] = auth };

        return new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = Vault,
                ["credentials"] = new JsonObject { ["SA_RS256"] = "local:sa-rs256", ["SA_ES256"] = "local:sa-es256", ["SA_GOOGLE"] = "local:sa-google" },
                ["services"] = new JsonArray(
                    Service("rs256", new JsonObject
                    {
                        ["type"] = "jwt-bearer", ["token_url"] = Endpoint.TokenUrl.AbsoluteUri, ["private_key"] = "SA_RS256",
                        ["issuer"] = "sa-rs256@e2e.test", ["subject"] = "user@e2e.test", ["scope"] = "api.read",
                    }),
                    Service("es256", new JsonObject
                    {
                        ["type"] = "jwt-bearer", ["token_url"] = Endpoint.TokenUrl.AbsoluteUri, ["private_key"] = "SA_ES256",
                        ["issuer"] = "sa-es256@e2e.test", ["algorithm"] = "ES256", ["scope"] = "api.read",
                    }),
                    Service("google", new JsonObject { ["type"] = "jwt-bearer", ["private_key"] = "SA_GOOGLE", ["scope"] = "api.read" })),
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = "sa-agent", ["vaults"] = new JsonArray(Vault) }),
        };
    }
}
