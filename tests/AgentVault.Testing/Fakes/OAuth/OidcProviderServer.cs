using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Testing.Fakes.OAuth;

/// <summary>
/// A real oidc-provider (npm, <c>tests/node</c>) over HTTPS on 127.0.0.1 with a certificate of a per-fixture test CA.
/// Clients <see cref="BasicClientId"/> (client_secret_basic) and <see cref="PostClientId"/> (client_secret_post) share
/// <see cref="ClientSecret"/>; <see cref="PublicClientId"/> is a public client (no secret). Client credentials, refresh
/// tokens (rotated on every use; reusing a consumed one revokes the grant), introspection, revocation, and JWT access tokens
/// for any resource indicator are enabled.
/// </summary>
public sealed class OidcProviderServer : IAsyncDisposable
{
    public const string BasicClientId = "agent:vault basic";
    public const string PostClientId = "agent-vault-post";
    public const string PublicClientId = "agent-vault-public";
    public const string ClientSecret = "s3cret:with+special/chars=&%";

    private readonly NodeHttpsScript _script;
    private readonly TestCertificateAuthority _ca;

    private OidcProviderServer(NodeHttpsScript script)
    {
        _script = script;
        _ca = script.CertificateAuthority;
        var started = script.Started;
        Issuer = new Uri(started.GetProperty("issuer").GetString()!);
        RefreshTokenBasic = started.GetProperty("refresh_token_basic").GetString()!;
        RefreshTokenBasic2 = started.GetProperty("refresh_token_basic_2").GetString()!;
        RefreshTokenPost = started.GetProperty("refresh_token_post").GetString()!;
        RefreshTokenPublic = started.GetProperty("refresh_token_public").GetString()!;
    }

    public Uri Issuer { get; }

    public Uri TokenUrl => new(Issuer, "/token");

    /// <summary>A refresh token seeded for <see cref="BasicClientId"/> (offline_access grant).</summary>
    public string RefreshTokenBasic { get; }

    /// <summary>A second refresh token for <see cref="BasicClientId"/> (another grant), e.g. the one an operator stores after rotation.</summary>
    public string RefreshTokenBasic2 { get; }

    /// <summary>A refresh token seeded for <see cref="PostClientId"/>.</summary>
    public string RefreshTokenPost { get; }

    /// <summary>A refresh token seeded for the public client <see cref="PublicClientId"/>.</summary>
    public string RefreshTokenPublic { get; }

    /// <summary>The CA whose certificate the provider presents.</summary>
    public TestCertificateAuthority CertificateAuthority => _ca;

    public static async Task<OidcProviderServer> StartAsync(CancellationToken cancellationToken = default) =>
        new(await NodeHttpsScript.StartAsync("oidc-provider.mjs", "OIDC Test CA", new Dictionary<string, string> { ["OIDC_SECRET"] = ClientSecret }, cancellationToken));

    /// <summary>An HttpClient trusting only this provider's CA (what the broker hands plugins), with an optional handler in front.</summary>
    public HttpClient CreateClient(DelegatingHandler? outer = null)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, e) => _ca.Validates(c, e);
        if (outer is null)
        {
            return new HttpClient(handler);
        }

        outer.InnerHandler = handler;
        return new HttpClient(outer);
    }

    /// <summary>Asks the provider whether an opaque access token is one it issued and still active; returns the introspection answer.</summary>
    public async Task<JsonElement> IntrospectAsync(string token, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Issuer, "/token/introspection"))
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Authorization = BasicAuthorization();
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return doc.RootElement.Clone();
    }

    /// <summary>Revokes a token at the provider (RFC 7009) as <see cref="BasicClientId"/>; a refresh token's grant goes with it.</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Issuer, "/token/revocation"))
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Authorization = BasicAuthorization();
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Verifies a JWT access token's RS256 signature with the provider's JWKS and returns its payload.</summary>
    public async Task<JsonElement> VerifyJwtAsync(string jwt, CancellationToken cancellationToken = default)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            throw new InvalidOperationException("not a JWS compact serialization");
        }

        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        var kid = header.RootElement.GetProperty("kid").GetString();
        Assert(header.RootElement.GetProperty("alg").GetString() == "RS256", "alg RS256");
        using var client = CreateClient();
        using var jwks = await client.GetFromJsonAsync<JsonDocument>(new Uri(Issuer, "/jwks"), cancellationToken)
            ?? throw new InvalidOperationException("no JWKS");
        var key = jwks.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url(key.GetProperty("n").GetString()!),
            Exponent = Base64Url(key.GetProperty("e").GetString()!),
        });
        var valid = rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert(valid, "signature verifies with the provider's JWKS");
        using var payload = JsonDocument.Parse(Base64Url(parts[1]));
        Assert(payload.RootElement.GetProperty("iss").GetString() == Issuer.ToString().TrimEnd('/'), "issuer");
        return payload.RootElement.Clone();
    }

    public ValueTask DisposeAsync() => _script.DisposeAsync();

    public static byte[] Base64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static AuthenticationHeaderValue BasicAuthorization()
    {
        var pair = FormEncode(BasicClientId) + ":" + FormEncode(ClientSecret);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    private static string FormEncode(string value) => System.Net.WebUtility.UrlEncode(value);

    private static void Assert(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("JWT check failed: " + what);
        }
    }
}
