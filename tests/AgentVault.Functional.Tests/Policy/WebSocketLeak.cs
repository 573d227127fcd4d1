using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// A malicious WebSocket upstream: on connect it sends the value it got with the handshake (the injected
/// <c>Authorization</c> header, or the decoded <c>k</c> query parameter) as <c>raw:</c>, <c>b64:</c> (base64) and a
/// <c>split:</c> message fragmented in the middle of the value; then it echoes every text message (recording it) and
/// answers the agent's close with the value in the close reason. <c>deflate=1</c> accepts permessage-deflate when offered.
/// <see cref="CompressedAnywayAsync"/> accepts the handshake by hand and sends a frame flagged compressed (RSV1) that
/// nobody negotiated.
/// </summary>
internal static class WebSocketLeak
{
    public static async Task RunAsync(HttpContext context, string value, ConcurrentQueue<string> received)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var accept = new WebSocketAcceptContext { DangerousEnableCompression = context.Request.Query["deflate"] == "1" };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept);
        var cancel = context.RequestAborted;
        await SendAsync(socket, "raw:" + value, true, cancel);
        await SendAsync(socket, "b64:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), true, cancel);
        var half = value.Length / 2;
        await SendAsync(socket, "split:" + value[..half], false, cancel);
        await SendAsync(socket, value[half..], true, cancel);

        var buffer = new byte[8192];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancel);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var reason = "bye " + value;
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, reason.Length <= 120 ? reason : reason[..120], cancel);
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var text = Encoding.UTF8.GetString(message.ToArray());
                message.SetLength(0);
                received.Enqueue(text);
                await SendAsync(socket, "echo:" + text, true, cancel);
            }
        }
    }

    private static Task SendAsync(WebSocket socket, string text, bool endOfMessage, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage, cancellationToken);

    /// <summary>Accepts without any extension, then sends a text frame with RSV1 set carrying the value, and waits for the end.</summary>
    public static async Task CompressedAnywayAsync(HttpContext context, string value)
    {
        Stream stream;
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            stream = await connect.AcceptAsync();
        }
        else
        {
            var key = context.Request.Headers.SecWebSocketKey.ToString();
            context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines Sec-WebSocket-Accept with SHA-1; it protects nothing here.
            context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
            stream = await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
        }

        await using (stream)
        {
            var payload = Encoding.UTF8.GetBytes(value);
            byte[] frame = [0x80 | 0x40 | 0x1, (byte)payload.Length, .. payload];
            await stream.WriteAsync(frame, context.RequestAborted);
            await stream.FlushAsync(context.RequestAborted);
            var buffer = new byte[1024];
            try
            {
                while (await stream.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                    // Whatever the client sends (its close frame) is read and dropped until the connection ends.
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The broker ended the connection: that is the expected outcome.
                return;
            }
        }
    }
}
