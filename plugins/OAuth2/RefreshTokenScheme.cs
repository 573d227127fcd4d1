using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Tokens;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.OAuth2;

/// <summary>
/// Exchanges a stored refresh token for access tokens (RFC 6749 §6) and sends them as <c>Authorization: Bearer</c>. When the
/// server rotates the refresh token, the new one is kept in memory (see <see cref="RefreshTokenChains"/>) and used from then
/// on; the stored one is reported stale in the log (once) and through <see cref="IAuthSchemeStatus"/>.
/// </summary>
internal sealed class RefreshTokenScheme : IAuthScheme, IAuthSchemeStatus, IDisposable
{
    private readonly AuthSchemeContext _context;
    private readonly RefreshTokenChains _chains;
    private readonly TokenCache _cache;
    private readonly ILogger _logger;
    private readonly Uri _tokenUrl;
    private readonly string _clientIdKey;
    private readonly string? _clientSecretKey;
    private readonly string _refreshTokenKey;
    private readonly string _authMethod;
    private volatile RefreshTokenChain? _lastChain;

    public RefreshTokenScheme(AuthSchemeContext context, RefreshTokenChains chains)
    {
        _context = context;
        _chains = chains;
        _cache = new TokenCache(context.TimeProvider, "refresh-token");
        _logger = context.LoggerFactory.CreateLogger<RefreshTokenScheme>();
        _tokenUrl = new Uri(context.Settings.GetString("token_url") ?? throw new ArgumentException("token_url is required"));
        _clientIdKey = context.Settings.GetString("client_id") ?? throw new ArgumentException("client_id is required");
        _clientSecretKey = context.Settings.GetString("client_secret");
        _refreshTokenKey = context.Settings.GetString("refresh_token") ?? throw new ArgumentException("refresh_token is required");
        _authMethod = context.Settings.GetString("auth_method") ?? ClientAuthentication.Basic;
    }

    public IReadOnlyCollection<string> HeadersToStrip => BearerHeader.Stripped;

    public IReadOnlyList<AuthSchemeNotice> Notices =>
        _lastChain?.RotatedAt is { } at
            ? [new AuthSchemeNotice(_refreshTokenKey, StaleMessage(at))]
            : [];

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientId = await request.Credentials.GetAsync(_clientIdKey, cancellationToken);
        var clientSecret = _clientSecretKey is null ? null : await request.Credentials.GetAsync(_clientSecretKey, cancellationToken);
        var stored = await request.Credentials.GetAsync(_refreshTokenKey, cancellationToken);
        var token = await _cache.GetAsync(
            CredentialFingerprint.Of(clientId, clientSecret, stored),
            ct => MintAsync(clientId, clientSecret, stored, ct),
            cancellationToken);
        BearerHeader.Apply(request, token.Value);
    }

    public ValueTask<bool> OnUnauthorizedAsync(CancellationToken cancellationToken)
    {
        _cache.Invalidate();
        OAuth2Log.TokenRejected(_logger, _context.VaultName, _context.ServiceName);
        return ValueTask.FromResult(true);
    }

    public void Dispose() => _cache.Dispose();

    private async Task<AccessToken> MintAsync(string clientId, string? clientSecret, string stored, CancellationToken cancellationToken)
    {
        if (stored.Length == 0)
        {
            throw new AuthSchemeException($"Credential {_refreshTokenKey} (the refresh token) is empty.", _refreshTokenKey);
        }

        var chain = _chains.For(_tokenUrl, clientId, stored);
        _lastChain = chain;
        await chain.Gate.WaitAsync(cancellationToken);
        try
        {
            var current = chain.Rotated;
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", current ?? stored),
            };
            OptionalParameters.Add(_context.Settings, form, "scope");
            var authorization = ClientAuthentication.Apply(_authMethod, clientId, clientSecret, form);
            TokenResponse response;
            try
            {
                // Deliberately not the caller's token: once the server has the refresh token it may rotate it, and an answer
                // abandoned half-way (the agent hung up) would lose the only valid refresh token. The plugin client's own
                // timeout bounds the exchange.
                response = await TokenEndpointClient.RequestAsync(_context.HttpClient, _tokenUrl, form, authorization, CancellationToken.None);
            }
            catch (AuthSchemeException ex) when (current is not null)
            {
                throw new AuthSchemeException(
                    ex.Message + $" The refresh token sent was the one the server rotated to (held in memory); the stored {_refreshTokenKey} is stale, store a new refresh token.",
                    _refreshTokenKey,
                    ex);
            }

            var now = _context.TimeProvider.GetUtcNow();
            if (!string.IsNullOrEmpty(response.RefreshToken) && !string.Equals(response.RefreshToken, current ?? stored, StringComparison.Ordinal) &&
                chain.Rotate(response.RefreshToken, now))
            {
                OAuth2Log.RefreshTokenRotated(_logger, _context.VaultName, _context.ServiceName, _refreshTokenKey);
            }

            var lifetime = response.ExpiresIn ?? OptionalParameters.DefaultLifetime;
            OAuth2Log.TokenObtained(_logger, _context.VaultName, _context.ServiceName, "refresh-token", (long)lifetime.TotalSeconds);
            return AccessToken.Create(response.AccessToken, now, lifetime);
        }
        finally
        {
            chain.Gate.Release();
        }
    }

    private string StaleMessage(DateTimeOffset rotatedAt) =>
        $"stale: the token endpoint rotated this refresh token at {rotatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}; " +
        "the broker uses the new one, which it keeps in memory only and loses on restart. Obtain a new refresh token and store it under " +
        $"{_refreshTokenKey} (or have the server stop rotating refresh tokens for this client).";
}
