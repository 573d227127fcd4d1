using System.Net;
using System.Net.Sockets;
using AgentVault.Broker.Forwarding;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// Outbound stack for in-process proxy tests: every name dials 127.0.0.1 (like <c>--resolve</c>), TLS trusts only the upstream
/// test CA (like <c>--upstream-ca</c>, without the system store), redirects off. A name in <see cref="Blocked"/> fails the
/// way the SSRF guard does.
/// </summary>
internal sealed class TestOutboundClients : IOutboundClients, IDisposable
{
    public TestOutboundClients(TestCertificateAuthority upstreamCa)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = ConnectAsync,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => upstreamCa.Validates(certificate, errors);
        Upstream = new HttpMessageInvoker(handler);
        Plugins = new HttpClient(new SocketsHttpHandler());
    }

    public HttpMessageInvoker Upstream { get; }

    public HttpClient Plugins { get; }

    public HashSet<string> Blocked { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Dispose()
    {
        Upstream.Dispose();
        Plugins.Dispose();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (Blocked.Contains(context.DnsEndPoint.Host))
        {
            throw new DestinationBlockedException($"The destination {context.DnsEndPoint.Host} resolves to a private address, which the broker does not dial.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stands in for the SSRF guard's exception until the real outbound stack is used (matched by type name).</summary>
    private sealed class DestinationBlockedException(string message) : Exception(message);
}
