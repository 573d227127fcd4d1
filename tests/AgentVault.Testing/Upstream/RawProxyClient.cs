using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// A byte-level proxy client for what ordinary clients cannot express: a CONNECT with exact headers, a different SNI than the
/// CONNECT host, several Proxy-Authorization variants inside one tunnel, absolute-form https:// targets.
/// </summary>
public sealed class RawProxyClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;

    private RawProxyClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawProxyClient> ConnectAsync(Uri proxy)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(proxy.Host, proxy.Port);
        return new RawProxyClient(tcp);
    }

    /// <summary>The connection as it is now: the TCP stream, or the TLS stream after <see cref="StartTlsAsync"/>.</summary>
    public Stream Stream => _stream;

    /// <summary>The client's end of the TCP connection.</summary>
    public System.Net.IPEndPoint LocalEndPoint => (System.Net.IPEndPoint)_tcp.Client.LocalEndPoint!;

    /// <summary>Closes the client's sending side (a FIN) and keeps the receiving side open: a half-closed connection.</summary>
    public void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public static string Basic(string user, string? password = null) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(password is null ? user : user + ":" + password));

    /// <summary>Sends CONNECT and reads the answer (head and, for refusals, the body).</summary>
    public async Task<RawResponse> ConnectAsync(string authority, string? proxyAuthorization)
    {
        var head = $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n" +
            (proxyAuthorization is null ? string.Empty : $"Proxy-Authorization: {proxyAuthorization}\r\n") + "\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        return await ReadResponseAsync(bodyExpected: false);
    }

    public async Task StartTlsAsync(string sni, Func<System.Security.Cryptography.X509Certificates.X509Certificate?, SslPolicyErrors, bool> validate, string alpn = "http/1.1")
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ApplicationProtocols = [new SslApplicationProtocol(alpn)],
            RemoteCertificateValidationCallback = (_, c, _, e) => validate(c, e),
        });
        _stream = ssl;
    }

    /// <summary>Sends one HTTP/1.1 request (keep-alive) and reads the full response.</summary>
    public async Task<RawResponse> SendAsync(string method, string target, IEnumerable<(string Name, string Value)> headers, string? body = null)
    {
        var builder = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            builder.Append("Content-Length: ").Append(bytes.Length).Append("\r\n");
        }

        builder.Append("\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(builder.ToString()));
        await _stream.WriteAsync(bytes);
        return await ReadResponseAsync(bodyExpected: method != "HEAD");
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<RawResponse> ReadResponseAsync(bool bodyExpected)
    {
        var head = await ReadLineBlockAsync();
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            await CopyExactlyAsync(body, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync()).Split(';')[0], 16);
                if (size == 0)
                {
                    await ReadLineAsync();
                    break;
                }

                await CopyExactlyAsync(body, size);
                await ReadLineAsync();
            }
        }
        else if (bodyExpected && status != 200 && status != 101 && status != 204 && status != 304)
        {
            await _stream.CopyToAsync(body);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private async Task CopyExactlyAsync(Stream destination, int count)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer);
        await destination.WriteAsync(buffer);
    }

    private async Task<string> ReadLineBlockAsync()
    {
        var builder = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.Length == 0)
            {
                return builder.ToString().TrimEnd('\r', '\n');
            }

            builder.Append(line).Append("\r\n");
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await _stream.ReadAsync(one) == 0)
            {
                throw new EndOfStreamException("connection closed after: " + Encoding.ASCII.GetString(bytes.ToArray()));
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }
}
