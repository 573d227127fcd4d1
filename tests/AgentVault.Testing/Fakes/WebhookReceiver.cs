using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Testing.Fakes;

/// <summary>
/// A webhook receiver on 127.0.0.1 (HTTPS with a certificate of the test CA for <c>hooks.upstream.test</c>, or plain HTTP)
/// that records every request — method, path, every header, the raw body — and answers by path: <c>/fail-once/…</c> 500 to
/// the first request on that path, then 200; <c>/status/{code}/…</c> that status; anything else 200. It also verifies
/// signatures the way a receiver should (<see cref="VerifySignature"/>), independently of the broker's code.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The requests received on <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<Received> On(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>Starts over HTTPS for <c>hooks.upstream.test</c> with a certificate of <paramref name="ca"/>, or over plain HTTP when it is null.</summary>
    public static async Task<WebhookReceiver> StartAsync(TestCertificateAuthority? ca)
    {
        var certificate = ca?.IssueServerCertificate("hooks.upstream.test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return receiver;
    }

    /// <summary>Waits (deadline 60 s) until <paramref name="count"/> requests have arrived on <paramref name="path"/>; returns them.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(string path, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (On(path).Count < count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{On(path).Count} of {count} webhook request(s) arrived on {path}");
            }

            await Task.Delay(50);
        }

        return On(path);
    }

    /// <summary>
    /// Checks <c>X-Agent-Vault-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c> against HMAC-SHA256(<paramref name="secret"/>, "t.body"),
    /// comparing in constant time, as docs/notifications.md tells receivers to.
    /// </summary>
    public static bool VerifySignature(Received request, string secret)
    {
        if (!request.Headers.TryGetValue("x-agent-vault-signature", out var header))
        {
            return false;
        }

        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.ASCII.GetBytes(t + "."), .. request.Body]);
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new Received(
            context.Request.Method,
            path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            buffer.ToArray()));
        var calls = _calls.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (path.StartsWith("/fail-once/", StringComparison.Ordinal) && calls == 1)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("receiver-error-body-must-not-be-logged", context.RequestAborted);
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        context.Response.StatusCode = segments.Length >= 2 && segments[0] == "status" && int.TryParse(segments[1], CultureInfo.InvariantCulture, out var status) ? status : StatusCodes.Status200OK;
    }

    /// <summary>One request as the receiver got it; header names lower-case.</summary>
    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string BodyText => Encoding.UTF8.GetString(Body);
    }
}
