using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// A WebSocket upstream that hands back what the broker injected (<see cref="WebSocketLeak"/>): the handshake's
/// <c>Authorization</c> header or a substituted query value — raw, base64, split across two frames, echoed from a
/// substituted text frame, in the close reason — over HTTP/1.1 Upgrade and HTTP/2 extended CONNECT. With <c>redact</c>
/// on or strict the agent sees <c>[REDACTED]</c> and the request log counts each replacement; with off it sees the value.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class WebSocketRedactionTests(PolicyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var mode in PolicyFixture.Modes)
        {
            foreach (var version in new[] { "1.1", "2.0" })
            {
                data.Add(mode, version, "auth");
                data.Add(mode, version, "query");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EchoingWebSocket_NeverHandsTheSecretToTheAgentUnlessRedactIsOff(string mode, string version, string source)
    {
        var marker = Guid.NewGuid().ToString("N");
        var value = source == "auth" ? "Bearer " + PolicyFixture.Secret : PolicyFixture.Secret;
        var shown = mode == "off" ? value : value.Replace(PolicyFixture.Secret, "[REDACTED]", StringComparison.Ordinal);
        using var deadline = new CancellationTokenSource(Deadline);
        var (socket, invoker) = await ConnectAsync($"ws-{mode}", $"/ws-leak/{marker}?src={source}&k=__api_key__", version, deflate: false, deadline.Token);
        using var owner = invoker;
        using var disposeSocket = socket;

        var raw = await ReceiveTextAsync(socket, deadline.Token);
        var base64 = await ReceiveTextAsync(socket, deadline.Token);
        var split = await ReceiveTextAsync(socket, deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"hello __api_key__ {marker}"), WebSocketMessageType.Text, true, deadline.Token);
        var echo = await ReceiveTextAsync(socket, deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);

        Assert.Equal("raw:" + shown, raw);
        Assert.Equal("split:" + shown, split);
        Assert.Equal($"echo:hello {(mode == "off" ? PolicyFixture.Secret : "[REDACTED]")} {marker}", echo);
        Assert.Equal("bye " + shown, socket.CloseStatusDescription);
        var exactBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        Assert.Equal(mode == "off", base64 == "b64:" + exactBase64);
        Assert.Equal(mode != "off", base64.Contains("[REDACTED]", StringComparison.Ordinal));

        // The upstream did get the real value: the substitution happened on the way in.
        Assert.Contains($"hello {PolicyFixture.Secret} {marker}", fixture.Endpoints.WebSocketReceived);
        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == $"/ws-leak/{marker}", "the WebSocket request");
        Assert.Equal(mode == "off" ? 0 : 5, record.GetProperty("redactions").GetInt32());
        Assert.Equal($"ws-{mode}", Text(record, "service"));
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Strict_WithdrawsTheCompressionOffer_SoFramesStayInspectable(string version)
    {
        // The agent offers permessage-deflate and the upstream would accept it: strict removes the offer, so the
        // upstream sends plain frames that are redacted (had it compressed, the broker would have closed the socket).
        // A service without websocket substitutions: those remove the offer in any mode.
        var marker = Guid.NewGuid().ToString("N");
        using var deadline = new CancellationTokenSource(Deadline);
        var (socket, invoker) = await ConnectAsync("bearer-strict", $"/ws-leak/{marker}?src=auth&deflate=1", version, deflate: true, deadline.Token);
        using var owner = invoker;
        using var disposeSocket = socket;

        Assert.Equal("raw:Bearer [REDACTED]", await ReceiveTextAsync(socket, deadline.Token));
        Assert.Null(socket.HttpResponseHeaders?.GetValueOrDefault("Sec-WebSocket-Extensions"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Strict_UpstreamCompressingAnyway_GetsTheSocketClosedWith1008(string version)
    {
        var marker = Guid.NewGuid().ToString("N");
        using var deadline = new CancellationTokenSource(Deadline);
        var (socket, invoker) = await ConnectAsync("bearer-strict", $"/ws-compressed/{marker}?src=auth", version, deflate: false, deadline.Token);
        using var owner = invoker;
        using var disposeSocket = socket;

        var result = await socket.ReceiveAsync(new byte[4096], deadline.Token);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.DoesNotContain(PolicyFixture.Secret, result.CloseStatusDescription ?? string.Empty, StringComparison.Ordinal);
        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == $"/ws-compressed/{marker}", "the refused WebSocket");
        Assert.Equal("bearer-strict", Text(record, "service"));
        Assert.Equal("upstream_unreachable", Text(record, "error"));
    }

    [Fact]
    public async Task RedactOn_LeavesCompressedFramesUninspected()
    {
        // The documented limit of "on": a compressed message passes as it is (the client inflates the secret). This is
        // also what proves the strict test above meaningful: the same handshake does negotiate compression.
        var marker = Guid.NewGuid().ToString("N");
        using var deadline = new CancellationTokenSource(Deadline);
        var (socket, invoker) = await ConnectAsync("bearer-on", $"/ws-leak/{marker}?src=auth&deflate=1", "1.1", deflate: true, deadline.Token);
        using var owner = invoker;
        using var disposeSocket = socket;

        Assert.Equal("raw:Bearer " + PolicyFixture.Secret, await ReceiveTextAsync(socket, deadline.Token));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
    }

    // The agent's HttpClient carries the proxy connection (for HTTP/2 the WebSocket is one of its streams): the caller keeps both.
    private async Task<(ClientWebSocket Socket, HttpClient Invoker)> ConnectAsync(string host, string pathAndQuery, string version, bool deflate, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = Version.Parse(version);
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        if (deflate)
        {
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }

        var invoker = fixture.Broker.CreateClient(fixture.Token("leaker"));
        var uri = new Uri($"wss://{host}.upstream.test:{fixture.Upstream.Port}{pathAndQuery}");
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            invoker.Dispose();
            throw;
        }

        return (socket, invoker);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
