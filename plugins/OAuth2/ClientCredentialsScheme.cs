using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Tokens;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Mints (and caches) a client-credentials access token and sends it as <c>Authorization: Bearer</c>.</summary>
internal sealed class ClientCredentialsScheme : IAuthScheme, IDisposable
{
    private readonly AuthSchemeContext _context;
    private readonly TokenCache _cache;
    private readonly ILogger _logger;
    private readonly Uri _tokenUrl;
    private readonly string _clientIdKey;
    private readonly string _clientSecretKey;
    private readonly string _authMethod;

    public ClientCredentialsScheme(AuthSchemeContext context)
    {
        _context = context;
        _cache = new TokenCache(context.TimeProvider, "client-credentials");
        _logger = context.LoggerFactory.CreateLogger<ClientCredentialsScheme>();
        _tokenUrl = new Uri(context.Settings.GetString("token_url") ?? throw new ArgumentException("token_url is required"));
        _clientIdKey = context.Settings.GetString("client_id") ?? throw new ArgumentException("client_id is required");
        _clientSecretKey = context.Settings.GetString("client_secret") ?? throw new ArgumentException("client_secret is required");
        _authMethod = context.Settings.GetString("auth_method") ?? ClientAuthentication.Basic;
    }

    public IReadOnlyCollection<string> HeadersToStrip => BearerHeader.Stripped;

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientId = await request.Credentials.GetAsync(_clientIdKey, cancellationToken);
        var clientSecret = await request.Credentials.GetAsync(_clientSecretKey, cancellationToken);
        var token = await _cache.GetAsync(
            CredentialFingerprint.Of(clientId, clientSecret),
            ct => MintAsync(clientId, clientSecret, ct),
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

    private async Task<AccessToken> MintAsync(string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        OptionalParameters.Add(_context.Settings, form, "scope", "audience", "resource");
        var authorization = ClientAuthentication.Apply(_authMethod, clientId, clientSecret, form);
        var response = await TokenEndpointClient.RequestAsync(_context.HttpClient, _tokenUrl, form, authorization, cancellationToken);
        var lifetime = response.ExpiresIn ?? OptionalParameters.DefaultLifetime;
        OAuth2Log.TokenObtained(_logger, _context.VaultName, _context.ServiceName, "client-credentials", (long)lifetime.TotalSeconds);
        return AccessToken.Create(response.AccessToken, _context.TimeProvider.GetUtcNow(), lifetime);
    }
}
