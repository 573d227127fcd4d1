using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>A configured Vault store: reads any API path (KV v1, KV v2, dynamic engines) and renews/revokes leases.</summary>
internal sealed class VaultSecretStore : ILeasingSecretStore
{
    private readonly SecretStoreContext _context;
    private readonly VaultHttp _http;
    private readonly VaultAuthenticator _auth;

    public VaultSecretStore(SecretStoreContext context, VaultSettings settings)
    {
        _context = context;
        _http = new VaultHttp(context.HttpClient, settings, context.StoreName);
        var logger = context.LoggerFactory.CreateLogger("AgentVault.Plugins.HashiCorpVault");
        _auth = new VaultAuthenticator(_http, settings, context, logger);
    }

    public async Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = NormalizePath(request.Path);
        var query = BuildQuery(request.Query);
        var response = await SendWithTokenAsync(HttpMethod.Get, path, query, null, $"read of '{path}'", cancellationToken);
        if (!response.IsSuccess)
        {
            throw VaultErrors.ForRead(_context.StoreName, path, response);
        }

        if (response.Body is null)
        {
            throw new SecretStoreException(SecretErrorCategory.NotFound, $"Vault store '{_context.StoreName}': '{path}' returned no data");
        }

        return VaultSecretParser.Parse(response.Body, _context.StoreName, path, _context.TimeProvider.GetUtcNow());
    }

    public async Task<SecretLease> RenewLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var body = new JsonObject { ["lease_id"] = lease.Id, ["increment"] = (long)lease.Duration.TotalSeconds };
        var leasePath = LeasePath(lease.Id);
        var response = await SendWithTokenAsync(HttpMethod.Put, "sys/leases/renew", string.Empty, body, $"renewal of a lease under '{leasePath}'", cancellationToken);
        if (!response.IsSuccess)
        {
            throw VaultErrors.ForLease(_context.StoreName, "renew", leasePath, response);
        }

        var duration = response.Body?["lease_duration"]?.GetValue<long>() ?? 0;
        var renewable = response.Body?["renewable"]?.GetValue<bool>() ?? false;
        var id = response.Body?["lease_id"]?.GetValue<string>();
        return new SecretLease(string.IsNullOrEmpty(id) ? lease.Id : id, TimeSpan.FromSeconds(duration), renewable, _context.TimeProvider.GetUtcNow());
    }

    public async Task RevokeLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var leasePath = LeasePath(lease.Id);
        var body = new JsonObject { ["lease_id"] = lease.Id };
        var response = await SendWithTokenAsync(HttpMethod.Put, "sys/leases/revoke", string.Empty, body, $"revocation of a lease under '{leasePath}'", cancellationToken);
        if (!response.IsSuccess)
        {
            throw VaultErrors.ForLease(_context.StoreName, "revoke", leasePath, response);
        }
    }

    public async Task TestAsync(CancellationToken cancellationToken)
    {
        var response = await SendWithTokenAsync(HttpMethod.Get, "auth/token/lookup-self", string.Empty, null, "token lookup", cancellationToken);
        if (!response.IsSuccess)
        {
            throw (int)response.Status is 400 or 401 or 403
                ? new SecretStoreException(SecretErrorCategory.AccessDenied, $"Vault store '{_context.StoreName}': Vault refused the store's token ({(int)response.Status})")
                : VaultErrors.Unavailable(_context.StoreName, "token lookup", response);
        }
    }

    public ValueTask DisposeAsync()
    {
        // The login token is not revoked: leases issued under it would be revoked with it while the broker may still use them.
        _auth.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<JsonApiResponse> SendWithTokenAsync(HttpMethod method, string path, string query, JsonObject? body, string what, CancellationToken cancellationToken)
    {
        var token = await _auth.GetTokenAsync(cancellationToken);
        var response = await _http.SendAsync(method, path, query, body, token, what, cancellationToken);
        if (_auth.UsesLogin && response.Status == System.Net.HttpStatusCode.Forbidden)
        {
            // The login token may have been revoked or expired early: log in again once and retry.
            _auth.Invalidate(token, path);
            token = await _auth.GetTokenAsync(cancellationToken);
            response = await _http.SendAsync(method, path, query, body, token, what, cancellationToken);
        }

        return response;
    }

    private string NormalizePath(string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Vault store '{_context.StoreName}': '{path}' is not a valid Vault API path (e.g. secret/data/app)");
        }

        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    private static string BuildQuery(IReadOnlyDictionary<string, string> query)
    {
        if (query.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var (key, value) in query.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(builder.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    /// <summary>The lease id without its unique last segment (e.g. <c>database/creds/ro</c>), for messages.</summary>
    private static string LeasePath(string leaseId)
    {
        var slash = leaseId.LastIndexOf('/');
        return slash > 0 ? leaseId[..slash] : "(lease)";
    }
}
