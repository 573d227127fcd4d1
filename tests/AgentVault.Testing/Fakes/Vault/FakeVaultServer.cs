using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>
/// A small in-memory HashiCorp Vault speaking the HTTP API over plain HTTP on 127.0.0.1, like a dev server:
/// KV v1/v2, token, AppRole and Kubernetes auth, <c>database/creds/&lt;role&gt;</c> leases and <c>sys/leases</c>.
/// Its behaviour is checked against the real <c>node-vault</c> client by a contract test.
/// </summary>
public sealed class FakeVaultServer : IAsyncDisposable
{
    private readonly FakeVaultOptions _options;
    private readonly FakeVaultAuth _auth;
    private readonly FakeVaultKv _kv;
    private readonly FakeVaultDatabase _database;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string?> _namespaces = new();
    private readonly ITimer _expiryTimer;
    private FakeHttpHost? _host;

    private FakeVaultServer(FakeVaultOptions options)
    {
        _options = options;
        _auth = new FakeVaultAuth(options.TimeProvider);
        _kv = new FakeVaultKv(options.TimeProvider);
        _database = new FakeVaultDatabase(options.TimeProvider, options.DatabaseMount);
        RootToken = _auth.CreateToken(TimeSpan.Zero, TimeSpan.Zero, renewable: false, allowedPrefixes: null);
        _expiryTimer = options.TimeProvider.CreateTimer(_ => _ = _database.ExpireAsync(CancellationToken.None), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address => _host!.Address;

    /// <summary>A token that never expires and may do everything.</summary>
    public string RootToken { get; }

    /// <summary>When true, connections are aborted as if Vault were down.</summary>
    public bool Stopped
    {
        get => _host!.Stopped;
        set => _host!.Stopped = value;
    }

    /// <summary>The fault every request meets while set (hang, slow, 503, dropped connection); <see cref="StoreFault.None"/> clears it.</summary>
    public StoreFault Fault
    {
        get => _host!.Fault;
        set => _host!.Fault = value;
    }

    /// <summary>How long <see cref="StoreFault.Slow"/> delays each answer (default 2 s).</summary>
    public TimeSpan SlowDelay
    {
        get => _host!.SlowDelay;
        set => _host!.SlowDelay = value;
    }

    /// <summary>Requests that met a <see cref="Fault"/>.</summary>
    public int FaultedRequests => _host!.FaultedRequests;

    /// <summary>Creates database users in a real database when set.</summary>
    public IFakeVaultDatabaseHook? DatabaseHook
    {
        get => _database.Hook;
        set => _database.Hook = value;
    }

    /// <summary>Requests refused (connection aborted) while <see cref="Stopped"/>.</summary>
    public int RefusedRequests => _host!.RefusedRequests;

    public int Logins => _auth.Logins;

    public int TokenRenewals => _auth.Renewals;

    /// <summary>Every token the fake has issued (root, created and logged-in ones), for tests proving none leaked.</summary>
    public IReadOnlyList<string> IssuedTokens => _auth.TokenValues;

    public int LeaseRevocations => _database.Revocations;

    public IReadOnlyList<FakeVaultLease> ActiveLeases => _database.ActiveLeases;

    /// <summary>The <c>X-Vault-Namespace</c> header of every request so far (null when absent).</summary>
    public IReadOnlyCollection<string?> NamespacesSeen => _namespaces;

    public static async Task<FakeVaultServer> StartAsync(FakeVaultOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeVaultServer(options ?? new FakeVaultOptions());
        server._host = await FakeHttpHost.StartAsync(server.HandleAsync, server._options.Port, cancellationToken);
        return server;
    }

    /// <summary>How many requests used <paramref name="method"/> on API path <paramref name="apiPath"/> (after <c>/v1/</c>, without query).</summary>
    public int RequestCount(string method, string apiPath) => _counts.GetValueOrDefault(method + " " + apiPath);

    /// <summary>Writes a new KV v2 version at <c>mount/path</c> (e.g. <c>secret/app</c>); returns the version number.</summary>
    public int WriteKv2(string mountAndPath, object data) => Split(mountAndPath, (m, p) => _kv.WriteV2(m, p, ToObject(data)));

    public void DeleteKv2Version(string mountAndPath, int version) => Split(mountAndPath, (m, p) => { _kv.DeleteV2Version(m, p, version); return 0; });

    /// <summary>Writes a KV v1 secret at <c>mount/path</c> (e.g. <c>kv1/app</c>).</summary>
    public void WriteKv1(string mountAndPath, object data) => Split(mountAndPath, (m, p) => { _kv.WriteV1(m, p, ToObject(data)); return 0; });

    /// <summary>Creates a token; <paramref name="allowedPrefixes"/> limits the API paths it may read (null: all).</summary>
    public string CreateToken(TimeSpan ttl, bool renewable = true, TimeSpan? maxTtl = null, IReadOnlyList<string>? allowedPrefixes = null) =>
        _auth.CreateToken(ttl, maxTtl ?? ttl * 10, renewable, allowedPrefixes);

    /// <summary>Accepts <paramref name="value"/> as a token that never expires and may do everything (to share one token between fakes).</summary>
    public void AddRootToken(string value) => _auth.CreateToken(TimeSpan.Zero, TimeSpan.Zero, renewable: false, allowedPrefixes: null, value);

    public void RevokeToken(string token) => _auth.RevokeToken(token);

    public (string RoleId, string SecretId) AddAppRole(string name, TimeSpan tokenTtl, TimeSpan? tokenMaxTtl = null, IReadOnlyList<string>? allowedPrefixes = null) =>
        _auth.AddAppRole(_options.AppRoleMount, name, tokenTtl, tokenMaxTtl ?? tokenTtl * 10, allowedPrefixes);

    public void AddKubernetesRole(string role, string jwt, TimeSpan tokenTtl, IReadOnlyList<string>? allowedPrefixes = null) =>
        _auth.AddKubernetesRole(_options.KubernetesMount, role, jwt, tokenTtl, allowedPrefixes);

    public void AddDatabaseRole(string role, TimeSpan defaultTtl, TimeSpan? maxTtl = null, bool renewable = true) =>
        _database.AddRole(role, defaultTtl, maxTtl ?? defaultTtl * 24, renewable);

    public async ValueTask DisposeAsync()
    {
        await _expiryTimer.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await FakeVaultReply.Error(StatusCodes.Status404NotFound).WriteAsync(context);
            return;
        }

        var apiPath = Uri.UnescapeDataString(path[4..].TrimEnd('/'));
        var method = context.Request.Method;
        _counts.AddOrUpdate(method + " " + apiPath, 1, (_, n) => n + 1);
        var ns = context.Request.Headers["X-Vault-Namespace"].FirstOrDefault();
        _namespaces.Enqueue(ns);
        var reply = _options.Namespace is not null && !string.Equals(ns?.Trim('/'), _options.Namespace.Trim('/'), StringComparison.Ordinal)
            ? FakeVaultReply.Error(StatusCodes.Status404NotFound, "no handler for route")
            : await RouteAsync(context, method, apiPath);
        await reply.WriteAsync(context);
    }

    private async Task<FakeVaultReply> RouteAsync(HttpContext context, string method, string apiPath)
    {
        var ct = context.RequestAborted;
        var body = await ReadBodyAsync(context);
        var isWrite = method is "POST" or "PUT";
        if (isWrite && apiPath.StartsWith("auth/", StringComparison.Ordinal) && apiPath.EndsWith("/login", StringComparison.Ordinal))
        {
            return _auth.Login(apiPath["auth/".Length..^"/login".Length], body);
        }

        var tokenValue = context.Request.Headers["X-Vault-Token"].FirstOrDefault();
        var token = _auth.Authorize(tokenValue, apiPath);
        if (token is null)
        {
            return FakeVaultReply.PermissionDenied();
        }

        var segments = apiPath.Split('/', 2);
        var mount = segments[0];
        var rest = segments.Length > 1 ? segments[1] : string.Empty;
        return (method, apiPath) switch
        {
            ("GET", "auth/token/lookup-self") => _auth.LookupSelf(token),
            (_, "auth/token/renew-self") when isWrite => _auth.RenewSelf(token, body),
            (_, "sys/leases/renew") when isWrite => await _database.RenewAsync(body, ct),
            (_, "sys/leases/revoke") when isWrite => await _database.RevokeAsync(body, ct),
            _ when _options.Kv2Mounts.Contains(mount) && rest.StartsWith("data/", StringComparison.Ordinal) =>
                method == "GET" ? _kv.ReadV2(mount, rest["data/".Length..], context.Request.Query["version"].FirstOrDefault())
                : isWrite ? _kv.WriteV2FromApi(mount, rest["data/".Length..], body)
                : FakeVaultReply.Error(StatusCodes.Status405MethodNotAllowed),
            _ when _options.Kv1Mounts.Contains(mount) && rest.Length > 0 =>
                method == "GET" ? _kv.ReadV1(mount, rest)
                : isWrite && body is not null ? WriteV1(mount, rest, body)
                : FakeVaultReply.Error(StatusCodes.Status405MethodNotAllowed),
            ("GET", _) when mount == _options.DatabaseMount && rest.StartsWith("creds/", StringComparison.Ordinal) =>
                await _database.IssueAsync(rest["creds/".Length..], ct),
            _ => FakeVaultReply.Error(StatusCodes.Status404NotFound, "no handler for route"),
        };
    }

    private FakeVaultReply WriteV1(string mount, string path, JsonObject body)
    {
        _kv.WriteV1(mount, path, body);
        return FakeVaultReply.NoContent;
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject ToObject(object data) =>
        data as JsonObject ?? JsonSerializer.SerializeToNode(data) as JsonObject ?? throw new ArgumentException("data must serialise to a JSON object", nameof(data));

    private static T Split<T>(string mountAndPath, Func<string, string, T> action)
    {
        var slash = mountAndPath.IndexOf('/', StringComparison.Ordinal);
        return action(mountAndPath[..slash], mountAndPath[(slash + 1)..]);
    }
}
