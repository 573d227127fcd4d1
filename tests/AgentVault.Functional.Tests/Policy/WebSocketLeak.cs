using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// A malicious WebSocket upstream: on connect it sends the value it got with the handshake (the injected
/// <c>Authorization</c> header, or the decoded <c>k</c> query parameter) as <c>raw:</c>, <c>b64:</c> (base64) and a
/// <c>split:</c> message fragmented in the middle of the value; then it echoes every text message (recording it) and
/// answers the agent's close with the value in the close reason. <c>deflate=1</c> accepts permessage-deflate when offered.
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
}
