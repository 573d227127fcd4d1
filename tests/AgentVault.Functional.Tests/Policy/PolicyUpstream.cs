using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// An HTTPS upstream on 127.0.0.1 (also plain HTTP on <see cref="PlainPort"/>; certificate for <c>*.upstream.test</c> from a per-run test CA) that misbehaves on
/// purpose: <c>/leak/{form}?src=[&amp;status=]</c> sends back what it received (<c>auth</c>: the Authorization header, <c>password</c>: the
/// password inside a Basic header, <c>query</c>: the decoded <c>k</c> parameter, <c>rawquery</c>: the query string as sent,
/// <c>body</c>: the request body) in a <see cref="LeakForm"/>; <c>/sse-gated/{gate}</c> splits the value across a held flush;
/// <c>/gzip</c> compresses when asked (more codings in <see cref="CodingEndpoints"/>); <c>/hold/{gate}</c> answers only when released;
/// <c>/ws</c> is a WebSocket echo; <c>/ws-leak/{marker}?src=</c> is a WebSocket that sends the handshake's value back (see
/// <see cref="WebSocketLeak"/>); anything else echoes method and raw target. Every request target is recorded.
/// </summary>
internal sealed class PolicyUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PolicyUpstream(WebApplication app, HoldGates gates)
    {
        _app = app;
        Gates = gates;
    }

    public int Port { get; private set; }

    /// <summary>The plain-HTTP port (HTTP/1.1 only).</summary>
    public int PlainPort { get; private set; }

    public HoldGates Gates { get; }

    /// <summary><c>METHOD raw-target</c> of every request received, in arrival order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Text messages the <c>/ws-leak</c> sockets received from agents, in arrival order.</summary>
    public ConcurrentQueue<string> WebSocketReceived { get; } = new();

    public static async Task<PolicyUpstream> StartAsync(TestCertificateAuthority ca)
    {
        var certificate = ca.IssueServerCertificate("*.upstream.test", "api.upstream.test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });

            // The same endpoints over plain HTTP, for absolute-form http:// requests that carry no credential.
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var upstream = new PolicyUpstream(app, new HoldGates());
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            upstream.Received.Enqueue(context.Request.Method + " " + context.Features.Get<IHttpRequestFeature>()?.RawTarget);
            await next(context);
        });
        app.Map("/leak/{form}", LeakAsync);
        app.Map("/sse-gated/{gate}", (HttpContext c, string gate) => SseGatedAsync(c, upstream.Gates, gate));
        app.Map("/gzip", GzipAsync);
        CodingEndpoints.Map(app);
        app.Map("/hold/{gate}", async (HttpContext c, string gate) =>
        {
            await upstream.Gates.HoldAsync(gate, c.RequestAborted);
            await c.Response.WriteAsync("released " + gate, c.RequestAborted);
        });
        app.Map("/ws", WebSocketEchoAsync);
        app.Map("/ws-compressed/{marker}", async (HttpContext c) => await WebSocketLeak.CompressedAnywayAsync(c, await SourceAsync(c)));
        app.Map("/ws-leak/{marker}", async (HttpContext c) => await WebSocketLeak.RunAsync(c, await SourceAsync(c), upstream.WebSocketReceived));
        app.Map("{**path}", EchoAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).ToList();
        upstream.Port = addresses.Single(a => a.Scheme == "https").Port;
        upstream.PlainPort = addresses.Single(a => a.Scheme == "http").Port;
        return upstream;
    }

    /// <summary>True when a request whose raw target contains <paramref name="marker"/> reached the upstream.</summary>
    public bool Saw(string marker) => Received.Any(r => r.Contains(marker, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        Gates.ReleaseAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static async Task<string> SourceAsync(HttpContext context)
    {
        var request = context.Request;
        switch (request.Query["src"].ToString())
        {
            case "query":
                return request.Query["k"].ToString();
            case "rawquery":
                return request.QueryString.Value ?? string.Empty;
            case "body":
                using (var reader = new StreamReader(request.Body, Encoding.UTF8))
                {
                    return await reader.ReadToEndAsync(context.RequestAborted);
                }

            case "password":
                var basic = request.Headers.Authorization.ToString();
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..]));
                return decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
            default:
                return request.Headers.Authorization.ToString();
        }
    }

    private static async Task LeakAsync(HttpContext context, string form)
    {
        var value = await SourceAsync(context);
        var response = context.Response;
        response.StatusCode = int.TryParse(context.Request.Query["status"], out var status) ? status : 200;
        response.ContentType = LeakForm.ContentType(form);
        var body = Encoding.UTF8.GetBytes(LeakForm.Body(form, value));
        switch (form)
        {
            case LeakForm.Header:
                response.Headers["X-Echo"] = value;
                response.Headers.Location = "/callback?token=" + Uri.EscapeDataString(value);
                await response.Body.WriteAsync(body, context.RequestAborted);
                return;
            case LeakForm.ByteByByte:
                // Every byte its own write and flush: the value reaches the broker split at every possible boundary.
                for (var i = 0; i < body.Length; i++)
                {
                    await response.Body.WriteAsync(body.AsMemory(i, 1), context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }

                return;
            case LeakForm.Sse:
                var split = body.Length - (value.Length / 2) - 2;
                await response.Body.WriteAsync(body.AsMemory(0, split), context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                await response.Body.WriteAsync(body.AsMemory(split), context.RequestAborted);
                return;
            default:
                // A declared length: the broker must not pass on a Content-Length that no longer matches.
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body, context.RequestAborted);
                return;
        }
    }

    private static async Task SseGatedAsync(HttpContext context, HoldGates gates, string gate)
    {
        var value = await SourceAsync(context);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var half = value.Length / 2;
        await response.WriteAsync("data: first\n\ndata: " + value[..half], context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        await gates.HoldAsync(gate, context.RequestAborted);
        await response.WriteAsync(value[half..] + "\n\n", context.RequestAborted);
    }

    private static async Task GzipAsync(HttpContext context)
    {
        var body = Encoding.UTF8.GetBytes("echo:" + await SourceAsync(context) + ";");
        var response = context.Response;
        response.ContentType = "application/json";
        if (!context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(body, context.RequestAborted);
        }

        response.Headers.ContentEncoding = "gzip";
        response.ContentLength = compressed.Length;
        await response.Body.WriteAsync(compressed.ToArray(), context.RequestAborted);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["method"] = context.Request.Method,
            ["raw_target"] = context.Features.Get<IHttpRequestFeature>()?.RawTarget,
        }), context.RequestAborted);
    }

    private static async Task WebSocketEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }
}
