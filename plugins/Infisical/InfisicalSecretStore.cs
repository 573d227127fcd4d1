using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.Infisical;

/// <summary>A configured Infisical store: static secrets by path (raw API) and dynamic-secret leases.</summary>
internal sealed class InfisicalSecretStore : ILeasingSecretStore
{
    private static readonly HashSet<string> StaticOptions = new(StringComparer.Ordinal) { "version", "environment" };
    private static readonly HashSet<string> DynamicOptions = new(StringComparer.Ordinal) { "ttl", "environment" };
    private readonly SecretStoreContext _context;
    private readonly InfisicalSettings _settings;
    private readonly InfisicalHttp _http;
    private readonly InfisicalAuthenticator _auth;

    public InfisicalSecretStore(SecretStoreContext context, InfisicalSettings settings)
    {
        _context = context;
        _settings = settings;
        _http = new InfisicalHttp(context.HttpClient, settings.SiteUrl, context.StoreName);
        _auth = new InfisicalAuthenticator(_http, settings, context, context.LoggerFactory.CreateLogger("AgentVault.Plugins.Infisical"));
    }

    private string Store => _context.StoreName;

    public Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = InfisicalReference.Parse(request.Path, Store);
        CheckOptions(request, reference.IsDynamic ? DynamicOptions : StaticOptions, reference);
        return reference.IsDynamic ? LeaseAsync(reference, request, cancellationToken) : ReadAsync(reference, request, cancellationToken);
    }

    public async Task<SecretLease> RenewLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var id = ParseLeaseId(lease);
        var now = _context.TimeProvider.GetUtcNow();

        // Infisical adds the ttl to the current expiry; ask for what brings the lease to its original length from now.
        var add = Math.Max(1, (long)Math.Round((now + lease.Duration - lease.ExpiresAt).TotalSeconds));
        var body = LeaseBody(id.Environment, id.Folder);
        body["ttl"] = add.ToString(CultureInfo.InvariantCulture) + "s";
        var response = await SendAsync(HttpMethod.Post, $"api/v1/dynamic-secrets/leases/{Uri.EscapeDataString(id.Id)}/renew", body, $"renewing a lease in '{id.Folder}'", cancellationToken);
        if (!response.IsSuccess)
        {
            throw InfisicalErrors.For(Store, $"renewing a lease in '{id.Folder}'", response);
        }

        var expireAt = ReadExpiry(response.Body?["lease"] as JsonObject) ?? now + lease.Duration;
        return new SecretLease(lease.Id, expireAt - now, Renewable: true, now);
    }

    public async Task RevokeLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var id = ParseLeaseId(lease);
        var response = await SendAsync(HttpMethod.Delete, $"api/v1/dynamic-secrets/leases/{Uri.EscapeDataString(id.Id)}", LeaseBody(id.Environment, id.Folder), $"revoking a lease in '{id.Folder}'", cancellationToken);
        if (!response.IsSuccess && response.Status != HttpStatusCode.NotFound)
        {
            throw InfisicalErrors.For(Store, $"revoking a lease in '{id.Folder}'", response);
        }
    }

    public Task TestAsync(CancellationToken cancellationToken) => _auth.TestLoginAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _auth.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SecretValue> ReadAsync(InfisicalReference reference, SecretRequest request, CancellationToken cancellationToken)
    {
        var environment = request.GetQuery("environment") ?? _settings.Environment;
        var query = $"?workspaceId={Uri.EscapeDataString(_settings.ProjectId)}&environment={Uri.EscapeDataString(environment)}"
            + $"&secretPath={Uri.EscapeDataString(reference.Folder)}&type=shared&expandSecretReferences=true&include_imports=true";
        if (request.GetQuery("version") is { } version)
        {
            query += "&version=" + Uri.EscapeDataString(version);
        }

        var what = $"reading '{reference}' in environment '{environment}'";
        var response = await SendAsync(HttpMethod.Get, $"api/v3/secrets/raw/{Uri.EscapeDataString(reference.Name)}{query}", null, what, cancellationToken);
        if (!response.IsSuccess)
        {
            throw InfisicalErrors.For(Store, what, response);
        }

        if (response.Body?["secret"] is not JsonObject secret || secret["secretValue"] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            throw new SecretStoreException(SecretErrorCategory.NotFound, $"Infisical store '{Store}': {what}: the answer holds no secret value");
        }

        var secretVersion = secret["version"] is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? v.ToString() : null;
        return new SecretValue(text) { Version = secretVersion };
    }

    private async Task<SecretValue> LeaseAsync(InfisicalReference reference, SecretRequest request, CancellationToken cancellationToken)
    {
        var slug = _settings.ProjectSlug ?? throw new SecretStoreException(
            SecretErrorCategory.InvalidConfiguration, $"Infisical store '{Store}': dynamic secrets need the setting 'project_slug' (the project's slug)");
        var environment = request.GetQuery("environment") ?? _settings.Environment;
        var body = LeaseBody(environment, reference.Folder);
        body["dynamicSecretName"] = reference.Name;
        if (request.GetQuery("ttl") is { } ttl)
        {
            body["ttl"] = ttl;
        }

        var what = $"leasing '{reference}' in environment '{environment}' of project '{slug}'";
        var response = await SendAsync(HttpMethod.Post, "api/v1/dynamic-secrets/leases", body, what, cancellationToken);
        if (!response.IsSuccess)
        {
            throw InfisicalErrors.For(Store, what, response);
        }

        var leaseNode = response.Body?["lease"] as JsonObject;
        var id = leaseNode?["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var s) ? s : null;
        var data = response.Body?["data"] as JsonObject ?? leaseNode?["data"] as JsonObject;
        var now = _context.TimeProvider.GetUtcNow();
        var expireAt = ReadExpiry(leaseNode);
        if (id is null || data is null || expireAt is null)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Infisical store '{Store}': {what}: the answer holds no lease");
        }

        var lease = new SecretLease(new InfisicalLeaseId(id, environment, reference.Folder).ToString(), expireAt.Value - now, Renewable: true, now);
        return new SecretValue(null, Fields(data)) { Lease = lease, ExpiresAt = expireAt };
    }

    private async Task<JsonApiResponse> SendAsync(HttpMethod method, string uri, JsonObject? body, string what, CancellationToken cancellationToken)
    {
        var token = await _auth.GetTokenAsync(cancellationToken);
        var response = await _http.SendAsync(method, uri, body, token, what, cancellationToken);
        if (response.Status == HttpStatusCode.Unauthorized)
        {
            // The access token may have been revoked or expired early: log in again once and retry.
            _auth.Invalidate(token, what);
            token = await _auth.GetTokenAsync(cancellationToken);
            response = await _http.SendAsync(method, uri, body, token, what, cancellationToken);
        }

        return response;
    }

    private JsonObject LeaseBody(string environment, string folder) => new()
    {
        ["projectSlug"] = _settings.ProjectSlug,
        ["environmentSlug"] = environment,
        ["path"] = folder,
    };

    private InfisicalLeaseId ParseLeaseId(SecretLease lease) =>
        InfisicalLeaseId.TryParse(lease.Id, out var id) && _settings.ProjectSlug is not null
            ? id
            : throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Infisical store '{Store}': the lease was not issued by an Infisical store with a project_slug");

    private void CheckOptions(SecretRequest request, HashSet<string> allowed, InfisicalReference reference)
    {
        var unknown = request.Query.Keys.Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration,
                $"Infisical store '{Store}': unknown option(s) {string.Join(", ", unknown)} for '{reference}' (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
        }
    }

    private static DateTimeOffset? ReadExpiry(JsonObject? lease)
    {
        var node = lease?["expireAt"] ?? lease?["expiresAt"];
        return node is JsonValue v && v.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static Dictionary<string, string> Fields(JsonObject data)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in data)
        {
            if (node is not null)
            {
                fields[name] = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
            }
        }

        return fields;
    }
}
