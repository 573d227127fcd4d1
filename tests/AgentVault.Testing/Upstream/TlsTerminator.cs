using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// A TLS front on 127.0.0.1 (port 0) for a plain-HTTP server on loopback (moto speaks plain HTTP): every accepted
/// connection is TLS-terminated with a certificate of a <see cref="TestCertificateAuthority"/> (HTTP/1.1 only) and its
/// bytes are relayed unchanged to the backend port, so the backend sees the request exactly as the client sent it
/// (Host header and signature included).
/// </summary>
public sealed class TlsTerminator : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly int _backendPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TlsTerminator(X509Certificate2 certificate, int backendPort)
    {
        _certificate = certificate;
        _backendPort = backendPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The TLS port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connection errors seen so far (handshake failures, resets), for failure messages.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Starts relaying TLS connections on a new loopback port to <c>127.0.0.1:<paramref name="backendPort"/></c>.</summary>
    public static TlsTerminator Start(X509Certificate2 certificate, int backendPort) => new(certificate, backendPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected end of the accept loop.
        }

        _stop.Dispose();
        _certificate.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            using (var backend = new TcpClient())
            {
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _certificate,
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                    },
                    cancellationToken);
                await backend.ConnectAsync(IPAddress.Loopback, _backendPort, cancellationToken);
                var plain = backend.GetStream();

                // Either side closing ends the exchange; HTTP/1.1 responses are complete by then.
                await Task.WhenAny(tls.CopyToAsync(plain, cancellationToken), plain.CopyToAsync(tls, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            Errors.Enqueue(ex.GetType().Name + ": " + ex.Message);
        }
    }
}
