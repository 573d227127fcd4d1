using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AgentVault.Testing.Upstream;

namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>
/// A fake GitHub REST API over HTTPS on 127.0.0.1 for one GitHub App (<see cref="AppId"/>, <see cref="ClientId"/>, an RSA key in
/// <see cref="PrivateKeyPem"/>) installed on <see cref="Owner"/> (<see cref="InstallationId"/>) with <see cref="Repositories"/>.
/// <c>POST /app/installations/{id}/access_tokens</c> verifies the app JWT with the app's public key and issues <c>ghs_…</c> tokens;
/// <c>GET /installation/repositories</c>, <c>GET /repos/{owner}/{repo}</c>, <c>GET /echo</c> and git's
/// <c>GET /{owner}/{repo}.git/info/refs</c> accept only an issued, unexpired, unrevoked token (<c>Bearer</c>, <c>token</c>, or
/// Basic with user <c>x-access-token</c>), as GitHub does, so they can be the upstream of end-to-end tests.
/// </summary>
public sealed class FakeGitHubServer : IAsyncDisposable
{
    public const long AppId = 424242;
    public const string ClientId = "Iv23liFakeApp0000001";
    public const long InstallationId = 5150;
    public const string Owner = "octo-org";

    public static readonly IReadOnlyList<string> Repositories = ["hello-world", "docs", "infra"];

    public static readonly IReadOnlyDictionary<string, string> Permissions = new Dictionary<string, string>
    {
        ["contents"] = "write",
        ["metadata"] = "read",
        ["issues"] = "write",
        ["pull_requests"] = "write",
    };

    private readonly WebApplication _app;
    private readonly RSA _key;
    private int _rejected;
    private int _served;

    private FakeGitHubServer(WebApplication app, RSA key, int port, TimeProvider time)
    {
        _app = app;
        _key = key;
        Port = port;
        Time = time;
        PrivateKeyPem = key.ExportRSAPrivateKeyPem();
    }

    /// <summary>The app's private key as GitHub hands it out (PKCS#1, <c>BEGIN RSA PRIVATE KEY</c>).</summary>
    public string PrivateKeyPem { get; }

    public int Port { get; }

    /// <summary>The clock for JWT checks and token expiry; share it with the scheme under test to move time.</summary>
    public TimeProvider Time { get; }

    /// <summary>How long issued tokens live (GitHub: one hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The API base by IP, <c>https://127.0.0.1:PORT</c>.</summary>
    public Uri ApiUrl => new($"https://127.0.0.1:{Port}");

    /// <summary>Every access-token request, in order.</summary>
    public ConcurrentQueue<FakeGitHubTokenRequest> TokenRequests { get; } = new();

    /// <summary>Every token issued, by value.</summary>
    public ConcurrentDictionary<string, FakeGitHubToken> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Count of API calls (not token requests) that were answered 401 because of a missing or bad token.</summary>
    public int RejectedApiCalls => Volatile.Read(ref _rejected);

    /// <summary>Count of API calls served with a valid token.</summary>
    public int ServedApiCalls => Volatile.Read(ref _served);

    internal RSA PublicKey => _key;

    /// <summary>The commit id the fake git endpoint advertises for <c>HEAD</c> and <c>refs/heads/main</c> of <paramref name="repo"/>.</summary>
    public static string HeadCommit(string repo) => FakeGitHubGit.CommitOf(repo);

    /// <summary>The API base under <paramref name="host"/> (a name in the certificate), for tests that route through the broker.</summary>
    public Uri BaseUri(string host) => new($"https://{host}:{Port}");

    /// <summary>Starts the server with a certificate from <paramref name="ca"/> for <paramref name="names"/> (default api.github.test, localhost, 127.0.0.1).</summary>
    public static async Task<FakeGitHubServer> StartAsync(TestCertificateAuthority ca, TimeProvider? time = null, string[]? names = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var certificate = ca.IssueServerCertificate(names ?? ["api.github.test", "localhost", "127.0.0.1"]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var key = RSA.Create(2048);
        FakeGitHubServer? server = null;
        var endpoints = new FakeGitHubEndpoints(() => server!);
        endpoints.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeGitHubServer(app, key, new Uri(address).Port, time ?? TimeProvider.System);
        return server;
    }

    /// <summary>Revokes every token issued so far (the API then answers 401 Bad credentials for them).</summary>
    public void RevokeTokens()
    {
        foreach (var token in Tokens.Values)
        {
            token.Revoked = true;
        }
    }

    /// <summary>A client that trusts only <paramref name="ca"/> and connects directly (no proxy), optionally through <paramref name="outer"/>.</summary>
    public static HttpClient CreateClient(TestCertificateAuthority ca, DelegatingHandler? outer = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, e) => ca.Validates(c, e);
        if (outer is null)
        {
            return new HttpClient(handler);
        }

        outer.InnerHandler = handler;
        return new HttpClient(outer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }

    internal void CountApiCall(bool served)
    {
        if (served)
        {
            Interlocked.Increment(ref _served);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
        }
    }
}
