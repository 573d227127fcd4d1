using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>
/// Supplies the token for Vault requests. Method <c>token</c> reads the reference before every request so rotation
/// works; AppRole and Kubernetes log in, cache the token, renew it (<c>renew-self</c>) two thirds into its lifetime,
/// and log in again when renewal is refused or the token nears its maximum TTL.
/// </summary>
internal sealed class VaultAuthenticator : IDisposable
{
    private readonly VaultHttp _http;
    private readonly VaultSettings _settings;
    private readonly SecretStoreContext _context;
    private readonly ILogger _logger;
    private readonly LoginTokenCache _tokens;

    public VaultAuthenticator(VaultHttp http, VaultSettings settings, SecretStoreContext context, ILogger logger)
    {
        _http = http;
        _settings = settings;
        _context = context;
        _logger = logger;
        _tokens = new LoginTokenCache(context.TimeProvider, LoginAsync, TryRenewAsync);
    }

    /// <summary>True when the token comes from a login the store can repeat (not a static token).</summary>
    public bool UsesLogin => _settings.Method != VaultAuthMethod.Token;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken) =>
        UsesLogin
            ? await _tokens.GetTokenAsync(cancellationToken)
            : await ResolveAsync(_settings.TokenReference!, "auth.token", cancellationToken);

    /// <summary>Forgets <paramref name="token"/> after Vault refused it, so the next call logs in again.</summary>
    public void Invalidate(string token, string path)
    {
        if (_tokens.Invalidate(token))
        {
            VaultLog.TokenRejected(_logger, _context.StoreName, path);
        }
    }

    public void Dispose() => _tokens.Dispose();

    private async Task<LoginToken?> TryRenewAsync(LoginToken current, CancellationToken cancellationToken)
    {
        try
        {
            var body = new JsonObject { ["increment"] = (long)current.Ttl.TotalSeconds };
            var response = await _http.SendAsync(HttpMethod.Post, "auth/token/renew-self", string.Empty, body, current.Value, "token renewal", cancellationToken);
            if (!response.IsSuccess)
            {
                VaultLog.RenewRefused(_logger, _context.StoreName, (int)response.Status);
                return null;
            }

            var renewed = ReadAuth(response, "token renewal");

            // Near the token's maximum TTL Vault grants less than asked: log in again next time instead of renewing ever more often.
            var renewable = renewed.Renewable && renewed.Ttl * 2 >= current.Ttl;
            VaultLog.TokenRenewed(_logger, _context.StoreName, renewed.Ttl.TotalSeconds);
            return new LoginToken(renewed.Value, renewed.Ttl, renewable, renewed.IssuedAt);
        }
        catch (SecretStoreException ex)
        {
            VaultLog.RenewFailed(_logger, _context.StoreName, ex.Message);
            return null;
        }
    }

    private async Task<LoginToken> LoginAsync(CancellationToken cancellationToken)
    {
        JsonObject body;
        string methodName;
        if (_settings.Method == VaultAuthMethod.AppRole)
        {
            methodName = "approle";
            body = new JsonObject
            {
                ["role_id"] = await ResolveAsync(_settings.RoleIdReference!, "auth.role_id", cancellationToken),
                ["secret_id"] = await ResolveAsync(_settings.SecretIdReference!, "auth.secret_id", cancellationToken),
            };
        }
        else
        {
            methodName = "kubernetes";
            body = new JsonObject { ["role"] = _settings.Role, ["jwt"] = await ReadJwtAsync(cancellationToken) };
        }

        var response = await _http.SendAsync(HttpMethod.Post, $"auth/{_settings.Mount}/login", string.Empty, body, null, $"{methodName} login", cancellationToken);
        if (!response.IsSuccess)
        {
            throw VaultErrors.ForLogin(_context.StoreName, methodName, response);
        }

        var token = ReadAuth(response, $"{methodName} login");
        VaultLog.LoggedIn(_logger, _context.StoreName, methodName, token.Ttl.TotalSeconds);
        return token;
    }

    private LoginToken ReadAuth(JsonApiResponse response, string what)
    {
        var auth = response.Body?["auth"] as JsonObject;
        var token = auth?["client_token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Vault store '{_context.StoreName}': {what} returned no client token");
        }

        var ttl = auth!["lease_duration"]?.GetValue<long>() ?? 0;
        var renewable = auth["renewable"]?.GetValue<bool>() ?? false;
        return new LoginToken(token, TimeSpan.FromSeconds(ttl), renewable, _context.TimeProvider.GetUtcNow());
    }

    private async Task<string> ReadJwtAsync(CancellationToken cancellationToken)
    {
        try
        {
            var jwt = (await File.ReadAllTextAsync(_settings.JwtPath, cancellationToken)).Trim();
            if (jwt.Length == 0)
            {
                throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Vault store '{_context.StoreName}': the service-account token file '{_settings.JwtPath}' is empty");
            }

            return jwt;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Vault store '{_context.StoreName}': cannot read the service-account token file '{_settings.JwtPath}' ({ex.GetType().Name})", ex);
        }
    }

    private async Task<string> ResolveAsync(string reference, string setting, CancellationToken cancellationToken)
    {
        var value = await _context.Bootstrap.ResolveAsync(reference, cancellationToken);
        if (string.IsNullOrEmpty(value))
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Vault store '{_context.StoreName}': setting '{setting}' resolved to an empty value");
        }

        return value;
    }
}
