using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary>
/// A syslog collector on 127.0.0.1 for tests: accepts TCP (or TLS with <paramref name="certificate"/>) connections and splits
/// the stream into octet-counted frames (RFC 6587 §3.4.1), keeping each RFC 5424 message as text.
/// </summary>
internal sealed class SyslogReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SyslogReceiver(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>Bytes that did not form a valid frame (must stay empty).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public async Task<List<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            var messages = Messages.ToList();
            if (done(messages))
            {
                return messages;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the collector never got the message; it has:\n" + string.Join("\n", Messages) + "\nerrors: " + string.Join("\n", Errors));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _certificate?.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ReadAsync(client));
        }
    }

    private async Task ReadAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = tls;
                }

                await using (stream)
                {
                    while (await ReadFrameAsync(stream) is { } message)
                    {
                        Messages.Enqueue(message);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or FormatException)
            {
                Errors.Enqueue(ex.GetType().Name + ": " + ex.Message);
            }
        }
    }

    private async Task<string?> ReadFrameAsync(Stream stream)
    {
        var length = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return length.Length == 0 ? null : throw new FormatException("stream ended inside a frame length");
            }

            if (one[0] == (byte)' ')
            {
                break;
            }

            if (one[0] is < (byte)'0' or > (byte)'9' || length.Length > 9)
            {
                throw new FormatException($"not an octet count: '{length}{(char)one[0]}'");
            }

            length.Append((char)one[0]);
        }

        var body = new byte[int.Parse(length.ToString(), CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return Encoding.UTF8.GetString(body);
    }
}
