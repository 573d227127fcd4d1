using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// An HTTPS upstream (<c>api.upstream.test</c>, 127.0.0.1, port 0) that records every request's method, path and
/// <c>Authorization</c> on the server side (the broker may redact what a response echoes, so an echo could not show what
/// was injected). Paths containing
/// <c>/reject-once/</c> answer 401 to their first request, without reading its body (as many APIs do); paths under
/// <c>/reflect/</c> send the bearer token back in a response header and, in the JSON body, raw, base64, base64url, and
/// inside base64 of the whole header line; everything else answers 200 <c>{"ok":true}</c>.
/// </summary>
public sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _rejected = new(StringComparer.Ordinal);

    private RecordingUpstream(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The bearer tokens received for one path, in arrival order.</summary>
    public IReadOnlyList<string> TokensFor(string path) =>
        [.. Requests.Where(r => r.Path == path).Select(r => r.BearerToken)];

    /// <summary>The Authorization values received, in arrival order (empty string when absent).</summary>
    public IReadOnlyList<string> Authorizations => [.. Requests.Select(r => r.Authorization)];

    /// <summary>The Authorization values received on <paramref name="path"/>, in arrival order (empty string when absent).</summary>
    public IReadOnlyList<string> AuthorizationsFor(string path) => [.. Requests.Where(r => r.Path == path).Select(r => r.Authorization)];

    /// <summary>Starts the upstream with a certificate for <c>api.upstream.test</c> issued by <paramref name="ca"/>.</summary>
    public static Task<RecordingUpstream> StartAsync(TestCertificateAuthority ca) => StartAsync(ca.IssueServerCertificate("api.upstream.test"));

    /// <summary>Starts the upstream serving <paramref name="certificate"/>.</summary>
    public static async Task<RecordingUpstream> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var upstream = new RecordingUpstream(app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var authorization = context.Request.Headers.Authorization.ToString();
        Requests.Enqueue(new RecordedRequest(context.Request.Method, path, authorization));
        if (path.Contains("/reject-once/", StringComparison.Ordinal) && _rejected.TryAdd(path, true))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return;
        }

        context.Response.ContentType = "application/json";
        if (!path.StartsWith("/reflect/", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("{\"ok\":true}", context.RequestAborted);
            return;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        context.Response.Headers["X-Echo-Authorization"] = authorization;
        var reflected = new Dictionary<string, string>
        {
            ["authorization"] = authorization,
            ["token_base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)),
            ["token_base64url"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            ["header_base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: " + authorization)),
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(reflected), context.RequestAborted);
    }
}
