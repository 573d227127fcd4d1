using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// An HTTPS test upstream on 127.0.0.1 (port 0) with HTTP/1.1 and HTTP/2, serving a certificate from a
/// <see cref="TestCertificateAuthority"/> for names like <c>api.upstream.test</c>. Endpoints:
/// <c>/echo/**</c> (method, path, query, headers, body, body length and SHA-256, protocol as JSON), <c>/sse</c> (one event, then waits for
/// <see cref="ReleaseSse"/>, then a second), <c>/chunked</c>, <c>/slow?ms=</c>, <c>/large?bytes=</c>, <c>/redirect</c>, <c>/redirect-to?location=</c>,
/// <c>/status/{code}</c>, <c>/ws</c> (WebSocket echo) and <c>/unauthorized-once</c> (401 on the first call, echo after).
/// A suite adds endpoints of its own (misbehaving ones, say) with the <c>endpoints</c> argument of <see cref="StartAsync"/>,
/// and can have the same endpoints served over plain HTTP too (<see cref="PlainPort"/>).
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _sseGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unauthorizedCalls;

    private TestUpstream(WebApplication app, int port, int? plainPort, bool https)
    {
        _app = app;
        Port = port;
        PlainPort = plainPort;
        Https = https;
    }

    public int Port { get; }

    /// <summary>The plain-HTTP (HTTP/1.1) port serving the same endpoints, when started with <c>plainHttp</c>.</summary>
    public int? PlainPort { get; }

    public bool Https { get; }

    /// <summary>Every request the upstream received (method and path), in order.</summary>
    public List<string> Received { get; } = [];

    /// <summary><c>METHOD raw-target</c> of every request received (the target as sent, not decoded), in arrival order.</summary>
    public ConcurrentQueue<string> ReceivedTargets { get; } = new();

    /// <summary>True when a request whose raw target contains <paramref name="marker"/> reached the upstream.</summary>
    public bool Saw(string marker) => ReceivedTargets.Any(r => r.Contains(marker, StringComparison.Ordinal));

    /// <summary>Lets the pending <c>/sse</c> response send its second event and end.</summary>
    public void ReleaseSse()
    {
        var gate = _sseGate;
        _sseGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.TrySetResult();
    }

    /// <summary>The base URI under <paramref name="host"/> (a name the certificate covers), e.g. <c>https://api.upstream.test:PORT</c>.</summary>
    public Uri BaseUri(string host = "api.upstream.test") => new($"{(Https ? "https" : "http")}://{host}:{Port}");

    /// <summary>
    /// Starts the upstream: HTTPS with a certificate of <paramref name="ca"/> for <paramref name="names"/> (plain HTTP when
    /// <paramref name="ca"/> is null); <paramref name="endpoints"/> maps more endpoints before the built-in ones (their
    /// paths must not collide); <paramref name="plainHttp"/> also serves everything over plain HTTP on <see cref="PlainPort"/>;
    /// without <paramref name="recordRequests"/> <see cref="Received"/> and <see cref="ReceivedTargets"/> stay empty (a long
    /// soak would otherwise grow them by every request).
    /// </summary>
    public static async Task<TestUpstream> StartAsync(TestCertificateAuthority? ca, string[]? names = null, HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        Action<IEndpointRouteBuilder>? endpoints = null, bool plainHttp = false, bool recordRequests = true)
    {
        X509Certificate2? certificate = ca?.IssueServerCertificate(names ?? ["api.upstream.test", "*.upstream.test", "localhost"]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = certificate is null ? HttpProtocols.Http1 : protocols;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            if (plainHttp && certificate is not null)
            {
                // The same endpoints over plain HTTP, for absolute-form http:// requests.
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        TestUpstream? upstream = null;
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (!recordRequests)
            {
                await next(context);
                return;
            }

            lock (upstream!.Received)
            {
                upstream.Received.Add(context.Request.Method + " " + context.Request.Path);
            }

            upstream.ReceivedTargets.Enqueue(context.Request.Method + " " + context.Features.Get<IHttpRequestFeature>()?.RawTarget);

            await next(context);
        });
        endpoints?.Invoke(app);
        app.Map("/sse", (HttpContext c) => upstream!.SseAsync(c));
        app.Map("/chunked", ChunkedAsync);
        app.Map("/slow", SlowAsync);
        app.Map("/large", LargeAsync);
        app.Map("/redirect", (HttpContext c) => { c.Response.StatusCode = 302; c.Response.Headers.Location = "/echo/redirected"; return Task.CompletedTask; });
        app.Map("/redirect-to", (HttpContext c) => { c.Response.StatusCode = 302; c.Response.Headers.Location = c.Request.Query["location"].ToString(); return Task.CompletedTask; });
        app.Map("/status/{code:int}", (HttpContext c, int code) => { c.Response.StatusCode = code; return Task.CompletedTask; });
        app.Map("/ws", WebSocketEchoAsync);
        app.Map("/unauthorized-once", (HttpContext c) =>
            Interlocked.Increment(ref upstream!._unauthorizedCalls) == 1 ? Unauthorized(c) : EchoAsync(c));
        app.Map("{**path}", EchoAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).ToList();
        var main = addresses.First(a => a.Scheme == (certificate is null ? "http" : "https"));
        var plain = certificate is null ? null : addresses.FirstOrDefault(a => a.Scheme == "http");
        upstream = new TestUpstream(app, main.Port, plain?.Port, certificate is not null);
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        _sseGate.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.StatusCode = 401;
        return Task.CompletedTask;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.ToArray();
        var body = Encoding.UTF8.GetString(bytes);
        var echo = new Dictionary<string, object?>
        {
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value,
            ["raw_target"] = context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            ["query"] = context.Request.QueryString.Value,
            ["protocol"] = context.Request.Protocol,
            ["headers"] = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            ["body"] = body,
            ["body_length"] = bytes.Length,
            ["body_sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo), context.RequestAborted);
    }

    private async Task SseAsync(HttpContext context)
    {
        var gate = _sseGate.Task;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync("data: first\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await gate.WaitAsync(context.RequestAborted);
        await context.Response.WriteAsync("data: second\n\n", context.RequestAborted);
    }

    private static async Task ChunkedAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        for (var i = 0; i < 5; i++)
        {
            await context.Response.WriteAsync($"part{i};", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task SlowAsync(HttpContext context)
    {
        var ms = int.TryParse(context.Request.Query["ms"], out var v) ? v : 5000;
        await Task.Delay(ms, context.RequestAborted);
        await context.Response.WriteAsync("slow done", context.RequestAborted);
    }

    private static async Task LargeAsync(HttpContext context)
    {
        var bytes = long.TryParse(context.Request.Query["bytes"], out var v) ? v : 1 << 20;
        context.Response.ContentType = "application/octet-stream";
        if (context.Request.Query["chunked"] != "1")
        {
            context.Response.ContentLength = bytes;
        }

        var block = new byte[64 * 1024];
        Array.Fill(block, (byte)'x');
        for (long sent = 0; sent < bytes; sent += block.Length)
        {
            await context.Response.Body.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - sent)), context.RequestAborted);
        }
    }

    private static async Task WebSocketEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            var text = "echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count);
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }
}
