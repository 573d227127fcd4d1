using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.OAuth;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// The real broker (log level Debug, so leak checks see every line) with the real oidc-provider as token endpoint (its
/// CA passed as a second <c>--upstream-ca</c>), a <see cref="RecordingUpstream"/> as <c>api.upstream.test</c>, the
/// client ids, secrets and a seeded refresh token in the file store, one <c>oauth2-client-credentials</c> service per
/// path prefix (<c>cc-*</c>) and one <c>oauth2-refresh-token</c> service (<c>rt-refresh</c>, under <c>/refresh/</c>).
/// </summary>
public sealed class OAuthBrokerFixture : IAsyncLifetime
{
    public const string Vault = "oauth";
    public const string Resource = "https://api.upstream.test/";
    public const string WrongSecret = "wrong-client-secret-e2e-7f3a9c";

    private BrokerEnvironment? _environment;
    private OidcProviderServer? _provider;
    private RecordingUpstream? _upstream;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => Environment.Process;

    public OidcProviderServer Provider => _provider ?? throw new InvalidOperationException("not started");

    internal RecordingUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    public string Url(string path) => $"https://api.upstream.test:{Upstream.Port}{path}";

    /// <summary>A path nobody used before under a service prefix, e.g. <c>/reuse/3f2a…</c>.</summary>
    public static string FreshPath(string prefix) => $"/{prefix}/{Guid.NewGuid():N}";

    internal Task<CurlResponse> CurlAsync(string path, params string[] extra) => AgentCurl.SendAsync(Environment, Token, Vault, Url(path), extra);

    /// <summary>How many times the broker logged minting a token for <paramref name="service"/> so far.</summary>
    public int MintCount(string service, string grant = "client-credentials") =>
        Broker.Stderr.Split('\n').Count(l => l.Contains($"service {service}: {grant} access token obtained", StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        _provider = await OidcProviderServer.StartAsync();
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "OAuth Upstream Test CA",
            Hosts = ["api.upstream.test"],
            MoreUpstreamCaFiles = [Provider.CertificateAuthority.PemPath],
            DebugLog = true,
        });
        Environment.Own(_provider);
        _upstream = Environment.Own(await RecordingUpstream.StartAsync(Environment.UpstreamCa));
        await Environment.PutSecretsAsync(
            ("oauth-client-basic", OidcProviderServer.BasicClientId),
            ("oauth-client-post", OidcProviderServer.PostClientId),
            ("oauth-secret", OidcProviderServer.ClientSecret),
            ("oauth-wrong", WrongSecret),
            ("oauth-refresh", Provider.RefreshTokenPost));
        Token = (await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(Config())!))["oauth-agent"];
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
        else if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    // jwt: client_secret_basic with a resource indicator (the provider issues a JWT for it); opaque: client_secret_post
    // without one (an opaque token, checked by introspection); the others are basic + resource, one service each so
    // each has its own token cache.
    private string Config()
    {
        var services = new JsonArray();
        foreach (var (name, client, secret, resource) in new[]
        {
            ("jwt", "CLIENT_BASIC", "CLIENT_SECRET", true),
            ("opaque", "CLIENT_POST", "CLIENT_SECRET", false),
            ("reuse", "CLIENT_BASIC", "CLIENT_SECRET", true),
            ("retry", "CLIENT_BASIC", "CLIENT_SECRET", true),
            ("wrong", "CLIENT_BASIC", "WRONG_SECRET", true),
            ("reflect", "CLIENT_BASIC", "CLIENT_SECRET", true),
        })
        {
            var auth = new JsonObject
            {
                ["type"] = "oauth2-client-credentials",
                ["token_url"] = Provider.TokenUrl.AbsoluteUri,
                ["client_id"] = client,
                ["client_secret"] = secret,
                ["scope"] = "api:read",
            };
            if (resource)
            {
                auth["resource"] = Resource;
            }
            else
            {
                auth["auth_method"] = "client_secret_post";
            }

            services.Add(new JsonObject { ["name"] = "cc-" + name, ["host"] = $"api.upstream.test:{Upstream.Port}/{name}/**", ["auth"] = auth });
        }

        services.Add(new JsonObject
        {
            ["name"] = "rt-refresh",
            ["host"] = $"api.upstream.test:{Upstream.Port}/refresh/**",
            ["auth"] = new JsonObject
            {
                ["type"] = "oauth2-refresh-token",
                ["token_url"] = Provider.TokenUrl.AbsoluteUri,
                ["client_id"] = "CLIENT_POST",
                ["client_secret"] = "CLIENT_SECRET",
                ["refresh_token"] = "REFRESH_TOKEN",
                ["auth_method"] = "client_secret_post",
            },
        });

        var config = new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = Vault,
                ["credentials"] = new JsonObject
                {
                    ["CLIENT_BASIC"] = "local:oauth-client-basic",
                    ["CLIENT_POST"] = "local:oauth-client-post",
                    ["CLIENT_SECRET"] = "local:oauth-secret",
                    ["WRONG_SECRET"] = "local:oauth-wrong",
                    ["REFRESH_TOKEN"] = "local:oauth-refresh",
                },
                ["services"] = services,
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = "oauth-agent", ["vaults"] = new JsonArray(Vault) }),
        };
        return config.ToJsonString();
    }
}
