using System.Buffers;
using System.Text;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proxy;

/// <summary>The parsed head of a <c>CONNECT host:port HTTP/1.1</c> request: its authority and <c>Proxy-Authorization</c>.</summary>
internal sealed class ConnectHead
{
    private ConnectHead(string host, int port, string? proxyAuthorization)
    {
        Host = host;
        Port = port;
        ProxyAuthorization = proxyAuthorization;
    }

    public string Host { get; }

    public int Port { get; }

    public string? ProxyAuthorization { get; }

    /// <summary>Parses a complete head (request line and headers, without the final empty line); null when malformed.</summary>
    public static ConnectHead? Parse(ReadOnlySequence<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "CONNECT" || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal) ||
            !ProxyDestination.TryParseAuthority(requestLine[1], out var host, out var port))
        {
            return null;
        }

        string? authorization = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                return null;
            }

            if (line.AsSpan(0, colon).Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                if (authorization is not null)
                {
                    return null;
                }

                authorization = line[(colon + 1)..].Trim();
            }
        }

        return new ConnectHead(host, port, authorization);
    }
}
