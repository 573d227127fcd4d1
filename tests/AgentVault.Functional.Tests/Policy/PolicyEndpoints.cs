using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Endpoints of the policy tests' <see cref="TestUpstream"/> (which echoes everything else, over HTTPS and plain HTTP) that
/// misbehave on purpose: <c>/leak/{form}?src=[&amp;status=]</c> sends back what it received (<c>auth</c>: the Authorization
/// header, <c>password</c>: the password inside a Basic header, <c>query</c>: the decoded <c>k</c> parameter, <c>rawquery</c>:
/// the query string as sent, <c>body</c>: the request body) in a <see cref="LeakForm"/>; <c>/sse-gated/{gate}</c> splits the
/// value across a held flush; <c>/gzip</c> compresses when asked (more codings in <see cref="CodingEndpoints"/>);
/// <c>/hold/{gate}</c> answers only when released; <c>/ws-leak/{marker}?src=</c> is a WebSocket that sends the handshake's
/// value back (see <see cref="WebSocketLeak"/>). Disposing releases every held gate.
/// </summary>
internal sealed class PolicyEndpoints : IAsyncDisposable
{
    public HoldGates Gates { get; } = new();

    /// <summary>Text messages the <c>/ws-leak</c> sockets received from agents, in arrival order.</summary>
    public ConcurrentQueue<string> WebSocketReceived { get; } = new();

    public void Map(IEndpointRouteBuilder app)
    {
        app.Map("/leak/{form}", LeakAsync);
        app.Map("/sse-gated/{gate}", (HttpContext c, string gate) => SseGatedAsync(c, Gates, gate));
        app.Map("/gzip", GzipAsync);
        CodingEndpoints.Map(app);
        app.Map("/hold/{gate}", async (HttpContext c, string gate) =>
        {
            await Gates.HoldAsync(gate, c.RequestAborted);
            await c.Response.WriteAsync("released " + gate, c.RequestAborted);
        });
        app.Map("/ws-compressed/{marker}", async (HttpContext c) => await WebSocketLeak.CompressedAnywayAsync(c, await SourceAsync(c)));
        app.Map("/ws-leak/{marker}", async (HttpContext c) => await WebSocketLeak.RunAsync(c, await SourceAsync(c), WebSocketReceived));
    }

    public ValueTask DisposeAsync()
    {
        Gates.ReleaseAll();
        return ValueTask.CompletedTask;
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
}
