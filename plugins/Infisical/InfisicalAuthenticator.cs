using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.Infisical;

/// <summary>
/// Universal-auth login with the machine identity (client id and secret read through their references at every login,
/// so rotation works). The access token is cached, renewed (<c>/api/v1/auth/token/renew</c>) two thirds into its
/// lifetime, and replaced by a new login when renewal is refused or the token nears its maximum TTL.
/// </summary>
internal sealed class InfisicalAuthenticator : IDisposable
{
    private readonly InfisicalHttp _http;
    private readonly InfisicalSettings _settings;
    private readonly SecretStoreContext _context;
    private readonly ILogger _logger;
    private readonly LoginTokenCache _tokens;

    public InfisicalAuthenticator(InfisicalHttp http, InfisicalSettings settings, SecretStoreContext context, ILogger logger)
    {
        _http = http;
        _settings = settings;
        _context = context;
        _logger = logger;
        _tokens = new LoginTokenCache(context.TimeProvider, LoginAsync, TryRenewAsync);
    }

    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => _tokens.GetTokenAsync(cancellationToken);

    /// <summary>Forgets <paramref name="token"/> after Infisical refused it, so the next call logs in again.</summary>
    public void Invalidate(string token, string what)
    {
        if (_tokens.Invalidate(token))
        {
            InfisicalLog.TokenRejected(_logger, _context.StoreName, what);
        }
    }

    /// <summary>Logs in (always), for <c>store test</c>.</summary>
    public Task TestLoginAsync(CancellationToken cancellationToken) => _tokens.LoginNowAsync(cancellationToken);

    public void Dispose() => _tokens.Dispose();

    private async Task<LoginToken?> TryRenewAsync(LoginToken current, CancellationToken cancellationToken)
    {
        try
        {
            var body = new JsonObject { ["accessToken"] = current.Value };
            var response = await _http.SendAsync(HttpMethod.Post, "api/v1/auth/token/renew", body, null, "token renewal", cancellationToken);
            if (!response.IsSuccess)
            {
                InfisicalLog.RenewRefused(_logger, _context.StoreName, (int)response.Status);
                return null;
            }

            var renewed = ReadToken(response, "token renewal");

            // Near the token's maximum TTL the grant shrinks: log in again next time instead of renewing ever more often.
            var renewable = renewed.Ttl * 2 >= current.Ttl;
            InfisicalLog.TokenRenewed(_logger, _context.StoreName, renewed.Ttl.TotalSeconds);
            return new LoginToken(renewed.Value, renewed.Ttl, renewable, renewed.IssuedAt);
        }
        catch (SecretStoreException ex)
        {
            InfisicalLog.RenewFailed(_logger, _context.StoreName, ex.Message);
            return null;
        }
    }

    private async Task<LoginToken> LoginAsync(CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["clientId"] = await ResolveAsync(_settings.ClientIdReference, "client_id", cancellationToken),
            ["clientSecret"] = await ResolveAsync(_settings.ClientSecretReference, "client_secret", cancellationToken),
        };
        var response = await _http.SendAsync(HttpMethod.Post, "api/v1/auth/universal-auth/login", body, null, "universal-auth login", cancellationToken);
        if (!response.IsSuccess)
        {
            throw InfisicalErrors.ForLogin(_context.StoreName, response);
        }

        var token = ReadToken(response, "universal-auth login");
        InfisicalLog.LoggedIn(_logger, _context.StoreName, token.Ttl.TotalSeconds);
        return token;
    }

    private LoginToken ReadToken(JsonApiResponse response, string what)
    {
        var value = response.StringAt("accessToken");
        if (string.IsNullOrEmpty(value))
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Infisical store '{_context.StoreName}': {what} returned no access token");
        }

        var expiresIn = response.Body!["expiresIn"] is JsonValue e && e.TryGetValue<double>(out var seconds) ? seconds : 0;
        return new LoginToken(value, TimeSpan.FromSeconds(expiresIn), renewable: true, _context.TimeProvider.GetUtcNow());
    }

    private async Task<string> ResolveAsync(string reference, string setting, CancellationToken cancellationToken)
    {
        var value = await _context.Bootstrap.ResolveAsync(reference, cancellationToken);
        if (string.IsNullOrEmpty(value))
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Infisical store '{_context.StoreName}': setting '{setting}' resolved to an empty value");
        }

        return value;
    }
}
