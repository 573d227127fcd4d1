using System.Net.Http.Headers;
using System.Text;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Jwt;
using AgentVault.Plugins.Tokens;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>
/// Mints (and caches) an installation access token from the app's private key and sends it as <c>Authorization: Bearer</c>
/// (or, for git over HTTPS, as the Basic password of <c>x-access-token</c>).
/// The cache is keyed by a fingerprint of the app id and key, so a rotated key mints a new token; one mint at a time.
/// </summary>
internal sealed class GitHubAppScheme : IAuthScheme, IDisposable
{
    // GitHub refuses an app JWT that expires more than 10 minutes ahead; iat is backdated for clock drift
    // (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app).
    private static readonly TimeSpan IssuedAtBackdate = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan JwtLifetime = TimeSpan.FromMinutes(9);

    // Installation tokens live an hour; renew well before so a long request does not outlive its token.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyCollection<string> Stripped = ["Authorization"];

    // The user name GitHub expects with an installation token as an HTTP Basic password.
    private const string GitUser = "x-access-token";

    private readonly AuthSchemeContext _context;
    private readonly GitHubAppSettings _settings;
    private readonly TokenCache _cache;
    private readonly ILogger _logger;

    public GitHubAppScheme(AuthSchemeContext context, GitHubAppSettings settings)
    {
        _context = context;
        _settings = settings;
        _cache = new TokenCache(context.TimeProvider, "installation-token");
        _logger = context.LoggerFactory.CreateLogger<GitHubAppScheme>();
    }

    public IReadOnlyCollection<string> HeadersToStrip => Stripped;

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var appId = _settings.AppId ?? await AppIdFromVaultAsync(request.Credentials, _settings.AppIdKey!, cancellationToken);
        var privateKey = await request.Credentials.GetAsync(_settings.PrivateKeyKey, cancellationToken);
        var token = await _cache.GetAsync(
            CredentialFingerprint.Of(appId, privateKey),
            ct => MintAsync(appId, privateKey, ct),
            cancellationToken);
        request.AddInjectedValue(token.Value);
        if (_settings.UseBasic)
        {
            // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(GitUser + ":" + token.Value));
            request.Request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            request.AddInjectedValue(basic);
        }
        else
        {
            request.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
    }

    public ValueTask<bool> OnUnauthorizedAsync(CancellationToken cancellationToken)
    {
        _cache.Invalidate();
        GitHubAppLog.TokenRejected(_logger, _context.VaultName, _context.ServiceName);
        return ValueTask.FromResult(true);
    }

    public void Dispose() => _cache.Dispose();

    private static async Task<string> AppIdFromVaultAsync(ICredentialAccessor credentials, string key, CancellationToken cancellationToken)
    {
        var value = (await credentials.GetAsync(key, cancellationToken)).Trim();
        if (value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            // Not echoed: the key may hold something else by mistake.
            throw new AuthSchemeException($"{key} does not hold a GitHub App id (a number such as 123456, or a client id such as Iv23li…).", key);
        }

        return value;
    }

    private async Task<AccessToken> MintAsync(string appId, string privateKey, CancellationToken cancellationToken)
    {
        var jwt = CreateAppJwt(appId, privateKey);
        var minted = await InstallationTokenClient.RequestAsync(
            _context.HttpClient, _settings.TokenUrl, jwt, _settings.Body, _settings.PrivateKeyKey, cancellationToken);
        var now = _context.TimeProvider.GetUtcNow();
        var lifetime = minted.ExpiresAt - now;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new AuthSchemeException($"GitHub issued a token that expired at {minted.ExpiresAt:O}, before the broker's time {now:O}; check the broker's clock.");
        }

        GitHubAppLog.TokenObtained(_logger, _context.VaultName, _context.ServiceName, _settings.InstallationId, minted.ExpiresAt);
        var margin = TimeSpan.FromTicks(Math.Min(RefreshMargin.Ticks, lifetime.Ticks / 2));
        return new AccessToken(minted.Token, minted.ExpiresAt, minted.ExpiresAt - margin);
    }

    private string CreateAppJwt(string appId, string privateKey)
    {
        try
        {
            using var key = JwtSigningKey.FromPem(privateKey);
            if (key.Algorithm != JwsAlgorithm.RS256)
            {
                throw new AuthSchemeException($"{_settings.PrivateKeyKey} holds an EC key; GitHub App private keys are RSA (download one from the app's settings).", _settings.PrivateKeyKey);
            }

            var now = _context.TimeProvider.GetUtcNow();
            var claims = new Dictionary<string, object?>
            {
                ["iat"] = now - IssuedAtBackdate,
                ["exp"] = now + JwtLifetime,
                // A numeric app id is sent as a number, a client id (Iv23…) as a string; GitHub takes either.
                ["iss"] = long.TryParse(appId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric) ? numeric : appId,
            };
            return JwtSigner.Create(key, JwsAlgorithm.RS256, claims);
        }
        catch (JwtKeyException ex)
        {
            throw new AuthSchemeException($"{_settings.PrivateKeyKey} cannot sign the GitHub App JWT: {ex.Message}", _settings.PrivateKeyKey, ex);
        }
    }
}
