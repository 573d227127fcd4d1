using System.Buffers.Text;
using System.Security.Cryptography;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Jwt;
using AgentVault.Plugins.Tokens;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.OAuth2;

/// <summary>
/// Signs a JWT assertion with a service-account private key and exchanges it for an access token (RFC 7523 §2.1), cached
/// until shortly before it expires and sent as <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class JwtBearerScheme : IAuthScheme, IDisposable
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>How long an assertion is valid; RFC 7523 servers (Google among them) accept at most an hour.</summary>
    public static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(10);

    private readonly AuthSchemeContext _context;
    private readonly TokenCache _cache;
    private readonly ILogger _logger;
    private readonly string _privateKeyKey;
    private readonly string? _tokenUrl;
    private readonly string? _issuer;
    private readonly string? _subject;
    private readonly string? _audience;
    private readonly string? _scope;
    private readonly JwsAlgorithm? _algorithm;

    public JwtBearerScheme(AuthSchemeContext context)
    {
        _context = context;
        _cache = new TokenCache(context.TimeProvider, "jwt-bearer");
        _logger = context.LoggerFactory.CreateLogger<JwtBearerScheme>();
        var settings = context.Settings;
        _privateKeyKey = settings.GetString("private_key") ?? throw new ArgumentException("private_key is required");
        _tokenUrl = settings.GetString("token_url");
        _issuer = settings.GetString("issuer");
        _subject = settings.GetString("subject");
        _audience = settings.GetString("audience");
        var scopes = settings.GetStringList("scope").Where(s => s.Length > 0).ToList();
        _scope = scopes.Count == 0 ? null : string.Join(' ', scopes);
        _algorithm = settings.GetString("algorithm") is { } alg ? Enum.Parse<JwsAlgorithm>(alg, ignoreCase: false) : null;
    }

    public IReadOnlyCollection<string> HeadersToStrip => BearerHeader.Stripped;

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyValue = await request.Credentials.GetAsync(_privateKeyKey, cancellationToken);
        var token = await _cache.GetAsync(CredentialFingerprint.Of(keyValue), ct => MintAsync(keyValue, ct), cancellationToken);
        BearerHeader.Apply(request, token.Value);
    }

    public ValueTask<bool> OnUnauthorizedAsync(CancellationToken cancellationToken)
    {
        _cache.Invalidate();
        OAuth2Log.TokenRejected(_logger, _context.VaultName, _context.ServiceName);
        return ValueTask.FromResult(true);
    }

    public void Dispose() => _cache.Dispose();

    private async Task<AccessToken> MintAsync(string keyValue, CancellationToken cancellationToken)
    {
        var key = ServiceAccountKey.Parse(keyValue, _privateKeyKey);
        var tokenUrl = TokenUrl(key);
        var issuer = _issuer ?? key.ClientEmail
            ?? throw new AuthSchemeException($"jwt-bearer needs an issuer: set 'issuer', or store a service-account JSON key (with client_email) under {_privateKeyKey}.", _privateKeyKey);
        var now = _context.TimeProvider.GetUtcNow();
        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["iss"] = issuer,
            ["aud"] = _audience ?? tokenUrl.AbsoluteUri,
            ["iat"] = now,
            ["exp"] = now + AssertionLifetime,
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
        };
        if (_subject is not null)
        {
            claims["sub"] = _subject;
        }

        if (_scope is not null)
        {
            claims["scope"] = _scope;
        }

        var assertion = Sign(key, claims);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", GrantType), new("assertion", assertion) };
        var response = await TokenEndpointClient.RequestAsync(_context.HttpClient, tokenUrl, form, null, cancellationToken);
        var lifetime = response.ExpiresIn ?? OptionalParameters.DefaultLifetime;
        OAuth2Log.TokenObtained(_logger, _context.VaultName, _context.ServiceName, "jwt-bearer", (long)lifetime.TotalSeconds);
        return AccessToken.Create(response.AccessToken, _context.TimeProvider.GetUtcNow(), lifetime);
    }

    private Uri TokenUrl(ServiceAccountKey key)
    {
        if (_tokenUrl is not null)
        {
            return new Uri(_tokenUrl);
        }

        if (key.TokenUri is null)
        {
            throw new AuthSchemeException($"jwt-bearer needs a token URL: set 'token_url', or store a service-account JSON key (with token_uri) under {_privateKeyKey}.", _privateKeyKey);
        }

        if (!EndpointUrl.IsAcceptable(key.TokenUri))
        {
            throw new AuthSchemeException($"The token_uri of the JSON key in {_privateKeyKey} is not an absolute https URL (http only to a loopback address).", _privateKeyKey);
        }

        return new Uri(key.TokenUri);
    }

    private string Sign(ServiceAccountKey key, IReadOnlyDictionary<string, object?> claims)
    {
        try
        {
            using var signingKey = JwtSigningKey.FromPem(key.Pem);
            return JwtSigner.Create(signingKey, _algorithm ?? signingKey.Algorithm, claims, key.KeyId);
        }
        catch (JwtKeyException ex)
        {
            throw new AuthSchemeException($"Credential {_privateKeyKey}: {ex.Message}", _privateKeyKey, ex);
        }
    }
}
