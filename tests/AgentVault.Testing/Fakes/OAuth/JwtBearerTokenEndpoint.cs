using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.OAuth;

/// <summary>
/// An RFC 7523 token endpoint on 127.0.0.1 (<c>POST /token</c>) that issues an access token only for an assertion whose
/// signature verifies with the public key registered for its issuer (RS256 with an RSA key, ES256 with a P-256 key), whose
/// <c>aud</c> is <see cref="TokenUrl"/> (or <see cref="Audience"/>), that is not expired, lives at most an hour, and whose
/// <c>jti</c> was not seen before. Anything else is 400 <c>invalid_grant</c> (or <c>unsupported_grant_type</c>).
/// </summary>
public sealed class JwtBearerTokenEndpoint : IAsyncDisposable
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly ConcurrentDictionary<string, AsymmetricAlgorithm> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _jtis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Assertion> _accepted = new();
    private FakeHttpHost _host = null!;
    private int _requests;

    private JwtBearerTokenEndpoint()
    {
    }

    public Uri TokenUrl => new(_host.Address, "token");

    /// <summary>The audience the assertion must name; <see cref="TokenUrl"/> when null.</summary>
    public string? Audience { get; set; }

    /// <summary>Every token request, accepted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The assertions that were accepted, oldest first.</summary>
    public IReadOnlyList<Assertion> Accepted => [.. _accepted];

    /// <summary>Why the last refused request was refused (for test diagnostics).</summary>
    public string? LastRefusal { get; private set; }

    public static async Task<JwtBearerTokenEndpoint> StartAsync(CancellationToken cancellationToken = default)
    {
        var endpoint = new JwtBearerTokenEndpoint();
        endpoint._host = await FakeHttpHost.StartAsync(endpoint.HandleAsync, cancellationToken: cancellationToken);
        return endpoint;
    }

    /// <summary>Accepts assertions from <paramref name="issuer"/> that verify with <paramref name="publicKey"/> (an RSA or ECDsa key; not disposed here).</summary>
    public void Trust(string issuer, AsymmetricAlgorithm publicKey) => _keys[issuer] = publicKey;

    /// <summary>True when this endpoint issued <paramref name="accessToken"/>.</summary>
    public bool Issued(string accessToken) => _issued.ContainsKey(accessToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (context.Request.Path != "/token" || context.Request.Method != "POST" || !context.Request.HasFormContentType)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != GrantType)
        {
            await RefuseAsync(context, "unsupported_grant_type", "grant_type is not jwt-bearer");
            return;
        }

        var (assertion, problem) = Check(form["assertion"].ToString());
        if (assertion is null)
        {
            await RefuseAsync(context, "invalid_grant", problem!);
            return;
        }

        _accepted.Enqueue(assertion);
        var token = "fake-at-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _issued[token] = 0;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { access_token = token, token_type = "Bearer", expires_in = 3600 }), context.RequestAborted);
    }

    private (Assertion? Assertion, string? Problem) Check(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return (null, "not a compact JWS");
        }

        using var header = JsonDocument.Parse(OidcProviderServer.Base64Url(parts[0]));
        using var payload = JsonDocument.Parse(OidcProviderServer.Base64Url(parts[1]));
        var alg = header.RootElement.GetProperty("alg").GetString();
        var claims = payload.RootElement;
        var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() : null;
        if (issuer is null || !_keys.TryGetValue(issuer, out var key))
        {
            return (null, "unknown issuer");
        }

        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = OidcProviderServer.Base64Url(parts[2]);
        var valid = (alg, key) switch
        {
            ("RS256", RSA rsa) => rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ("ES256", ECDsa ec) => signature.Length == 64 && ec.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => false,
        };
        if (!valid)
        {
            return (null, "signature does not verify with the issuer's public key");
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expected = Audience ?? TokenUrl.AbsoluteUri;
        var aud = claims.GetProperty("aud");
        var audienceOk = aud.ValueKind == JsonValueKind.String ? aud.GetString() == expected : aud.EnumerateArray().Any(a => a.GetString() == expected);
        var iat = claims.GetProperty("iat").GetInt64();
        var exp = claims.GetProperty("exp").GetInt64();
        var jti = claims.TryGetProperty("jti", out var j) ? j.GetString() : null;
        var problem = !audienceOk ? "wrong audience"
            : exp <= now ? "expired"
            : iat > now + 60 ? "issued in the future"
            : exp - iat > 3600 ? "lives longer than an hour"
            : string.IsNullOrEmpty(jti) || !_jtis.TryAdd(jti, 0) ? "jti missing or replayed"
            : null;
        return problem is null
            ? (new Assertion(header.RootElement.Clone(), claims.Clone()), null)
            : (null, problem);
    }

    private async Task RefuseAsync(HttpContext context, string error, string description)
    {
        LastRefusal = description;
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error, error_description = description }), context.RequestAborted);
    }

    /// <summary>An accepted assertion's JOSE header and claims.</summary>
    public sealed record Assertion(JsonElement Header, JsonElement Claims);
}
