using System.Buffers;
using System.Text;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proxy;

/// <summary>The parsed head of a <c>CONNECT host:port HTTP/1.1</c> request: its authority and <c>Proxy-Authorization</c>.</summary>
internal sealed class ConnectHead
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private ConnectHead(string host, int port, string? proxyAuthorization)
    {
        Host = host;
        Port = port;
        ProxyAuthorization = proxyAuthorization;
    }

    public string Host { get; }

    public int Port { get; }

    public string? ProxyAuthorization { get; }

    /// <summary>
    /// Parses a complete head (request line and headers, without the final empty line); null when malformed. Strict RFC 9112
    /// grammar, as a security boundary should be: the version is exactly <c>HTTP/1.0</c> or <c>HTTP/1.1</c>, a field name is
    /// a token with no space before its colon, a field value holds no control character but horizontal tab (no NUL, no bare
    /// CR or LF), and lines end in CRLF. A head that another parser could read differently is refused, never guessed at.
    /// </summary>
    public static ConnectHead? Parse(ReadOnlySequence<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "CONNECT" || requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0") ||
            !ProxyDestination.TryParseAuthority(requestLine[1], out var host, out var port))
        {
            return null;
        }

        string? authorization = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line.AsSpan(0, colon)) || !IsFieldValue(line.AsSpan(colon + 1)))
            {
                return null;
            }

            if (line.AsSpan(0, colon).Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                if (authorization is not null)
                {
                    return null;
                }

                authorization = line[(colon + 1)..].Trim(' ', '\t');
            }
        }

        return new ConnectHead(host, port, authorization);
    }

    // token = 1*tchar (RFC 9110 §5.6.2).
    private static bool IsToken(ReadOnlySpan<char> name) => !name.ContainsAnyExcept(TokenChars);

    // field-value = *( VCHAR / obs-text / SP / HTAB ) (RFC 9110 §5.5): no other control character, no DEL.
    private static bool IsFieldValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
