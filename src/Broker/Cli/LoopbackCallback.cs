using System.Net.Sockets;
using System.Text;

namespace AgentVault.Broker.Cli;

/// <summary>
/// The one request the browser makes back to <c>agent-vault login</c>: <c>GET /callback?code=…&amp;state=…</c> on 127.0.0.1.
/// Requests with another state, or for other paths, are answered 400 and waited past; the matching one gets a short page.
/// </summary>
internal static class LoopbackCallback
{
    public static async Task<string> WaitForCodeAsync(TcpListener listener, string state, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            await using var stream = client.GetStream();
            var line = await ReadRequestLineAsync(stream, cancellationToken).ConfigureAwait(false);
            var target = line?.Split(' ') is [var method, var path, _] && method == "GET" ? path : null;
            var query = target is not null && target.StartsWith("/callback?", StringComparison.Ordinal) ? ParseQuery(target["/callback?".Length..]) : null;
            if (query is not null && query.GetValueOrDefault("state") == state && query.GetValueOrDefault("code") is { Length: > 0 } code)
            {
                await RespondAsync(stream, "200 OK", "Signed in. You can close this window and return to the terminal.", cancellationToken).ConfigureAwait(false);
                return code;
            }

            await RespondAsync(stream, "400 Bad Request", "This is not the sign-in agent-vault login is waiting for.", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            }
        }

        return null;
    }

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => Uri.UnescapeDataString(p[0]), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Uri.UnescapeDataString(g.First()[1]), StringComparer.Ordinal);

    private static async Task RespondAsync(NetworkStream stream, string status, string message, CancellationToken cancellationToken)
    {
        var body = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Agent Vault</title></head><body><p>{message}</p></body></html>";
        var response = $"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n" +
            "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'\r\n\r\n" + body;
        await stream.WriteAsync(Encoding.UTF8.GetBytes(response), cancellationToken).ConfigureAwait(false);
    }
}
