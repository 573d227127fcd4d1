using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Fakes.Vault;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>
/// A small in-memory Infisical over plain HTTP on 127.0.0.1: universal-auth login and token renewal, secrets by name
/// and folder (<c>/api/v3/secrets/raw/{name}</c>), and dynamic-secret leases. Checked against the real
/// <c>@infisical/sdk</c> by a contract test.
/// </summary>
public sealed class FakeInfisicalServer : IAsyncDisposable
{
    private readonly FakeInfisicalAuth _auth;
    private readonly FakeInfisicalSecrets _secrets;
    private readonly FakeInfisicalDynamicSecrets _dynamic;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private FakeHttpHost? _host;

    private FakeInfisicalServer(TimeProvider time, string projectId, string projectSlug)
    {
        _auth = new FakeInfisicalAuth(time);
        _secrets = new FakeInfisicalSecrets(time);
        _dynamic = new FakeInfisicalDynamicSecrets(time);
        ProjectId = projectId;
        ProjectSlug = projectSlug;
    }

    public Uri Address => _host!.Address;

    public string ProjectId { get; }

    public string ProjectSlug { get; }

    /// <summary>When true, connections are aborted as if Infisical were down.</summary>
    public bool Stopped
    {
        get => _host!.Stopped;
        set => _host!.Stopped = value;
    }

    public IFakeVaultDatabaseHook? DatabaseHook
    {
        get => _dynamic.Hook;
        set => _dynamic.Hook = value;
    }

    /// <summary>Requests refused (connection aborted) while <see cref="Stopped"/>.</summary>
    public int RefusedRequests => _host!.RefusedRequests;

    public int Logins => _auth.Logins;

    public int TokenRenewals => _auth.Renewals;

    public IReadOnlyList<string> IssuedTokens => _auth.TokenValues;

    public IReadOnlyList<FakeInfisicalLease> ActiveLeases => _dynamic.ActiveLeases;

    public static async Task<FakeInfisicalServer> StartAsync(TimeProvider? time = null, int port = 0, CancellationToken cancellationToken = default)
    {
        var server = new FakeInfisicalServer(time ?? TimeProvider.System, Guid.NewGuid().ToString(), "agents-" + Guid.NewGuid().ToString("N")[..6]);
        server._host = await FakeHttpHost.StartAsync(server.HandleAsync, port, cancellationToken);
        return server;
    }

    /// <summary>Adds a machine identity with universal auth; returns its client id and secret.</summary>
    public (string ClientId, string ClientSecret) AddIdentity(TimeSpan? tokenTtl = null, TimeSpan? tokenMaxTtl = null) =>
        _auth.AddIdentity(tokenTtl ?? TimeSpan.FromHours(2), tokenMaxTtl ?? TimeSpan.FromDays(30));

    /// <summary>Revokes every access token (as an admin revoking the identity's tokens would).</summary>
    public void RevokeAllTokens() => _auth.RevokeAll();

    /// <summary>Creates or updates a secret (a new version); returns the version number.</summary>
    public int SetSecret(string environment, string folder, string name, string value) => _secrets.Set(environment, folder, name, value);

    public void AddDynamicSecret(string environment, string folder, string name, TimeSpan defaultTtl, TimeSpan maxTtl) =>
        _dynamic.Add(environment, folder, name, defaultTtl, maxTtl);

    /// <summary>How many requests used <paramref name="method"/> on <paramref name="path"/> (e.g. <c>/api/v3/secrets/raw/KEY</c>, no query).</summary>
    public int RequestCount(string method, string path) => _counts.GetValueOrDefault(method + " " + path);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var method = context.Request.Method;
        _counts.AddOrUpdate(method + " " + path, 1, (_, n) => n + 1);
        var reply = await RouteAsync(context, method, path);
        await reply.WriteAsync(context);
    }

    private async Task<FakeInfisicalReply> RouteAsync(HttpContext context, string method, string path)
    {
        var ct = context.RequestAborted;
        var body = await ReadBodyAsync(context);
        switch (method, path)
        {
            case ("POST", "/api/v1/auth/universal-auth/login"):
                return _auth.Login(body);
            case ("POST", "/api/v1/auth/token/renew"):
                return _auth.Renew(body);
        }

        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var bearer = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
        if (!_auth.IsValid(bearer))
        {
            return FakeInfisicalReply.Unauthorized();
        }

        const string secretsPrefix = "/api/v3/secrets/raw/";
        const string leasesPrefix = "/api/v1/dynamic-secrets/leases";
        var query = context.Request.Query;
        if (method == "GET" && path.StartsWith(secretsPrefix, StringComparison.Ordinal))
        {
            return _secrets.Get(ProjectId, Uri.UnescapeDataString(path[secretsPrefix.Length..]), query["workspaceId"].FirstOrDefault(), query["environment"].FirstOrDefault(), query["secretPath"].FirstOrDefault(), query["version"].FirstOrDefault());
        }

        if (path.StartsWith(leasesPrefix, StringComparison.Ordinal))
        {
            if (body?["projectSlug"]?.ToString() != ProjectSlug)
            {
                return FakeInfisicalReply.NotFound("Project with slug not found");
            }

            var rest = path[leasesPrefix.Length..].Trim('/');
            return (method, rest) switch
            {
                ("POST", "") => await _dynamic.CreateLeaseAsync(body, ct),
                ("POST", _) when rest.EndsWith("/renew", StringComparison.Ordinal) => await _dynamic.RenewAsync(rest[..^"/renew".Length], body, ct),
                ("DELETE", _) when !rest.Contains('/', StringComparison.Ordinal) && rest.Length > 0 => await _dynamic.RevokeAsync(rest, body, ct),
                _ => FakeInfisicalReply.NotFound("Route not found"),
            };
        }

        return FakeInfisicalReply.NotFound($"Route {method}:{path} not found");
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
