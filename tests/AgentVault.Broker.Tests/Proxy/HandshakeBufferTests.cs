using System.IO.Pipelines;
using System.Net.Security;
using System.Reflection;
using System.Text;
using AgentVault.Broker.Proxy;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// A tunnel that idles before its first request must not keep SslStream's handshake buffer (docs/performance.md, "Idle
/// tunnels"), and releasing it must not lose what the client already sent. TLS runs over in-memory pipes, as in a tunnel.
/// </summary>
public sealed class HandshakeBufferTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task IdleAfterHandshake_BufferReturnedAndTunnelStillReads()
    {
        var (server, client) = await HandshakeAsync();
        await using (server)
        await using (client)
        {
            // The premise: without the release the handshake buffer stays rented while the tunnel waits for its first byte.
            Assert.True(RentedBytes(server) > 0, "SslStream no longer keeps its handshake buffer: re-measure and drop HandshakeBuffer");

            await HandshakeBuffer.ReleaseAsync(server);

            Assert.Equal(0, RentedBytes(server));
            await client.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping", await ReadTextAsync(server, 4));
        }
    }

    [Fact]
    public async Task DataSentBeforeRelease_ReadAfterwards()
    {
        var (server, client) = await HandshakeAsync();
        await using (server)
        await using (client)
        {
            await client.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
            await client.FlushAsync();

            await HandshakeBuffer.ReleaseAsync(server);

            Assert.Equal("GET / HTTP/1.1\r\n\r\n", await ReadTextAsync(server, 18));
        }
    }

    private async Task<(SslStream Server, SslStream Client)> HandshakeAsync()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = new SslStream(new DuplexPipeStream(new Duplex(toServer.Reader, toClient.Writer)));
        var client = new SslStream(new DuplexPipeStream(new Duplex(toClient.Reader, toServer.Writer)));
        var leaf = _ca.IssueServerCertificate("tunnel.test");
        var serverDone = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = leaf });
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "tunnel.test",
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => _ca.Validates(certificate, errors),
        });
        await serverDone;
        return (server, client);
    }

    private static async Task<string> ReadTextAsync(SslStream stream, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, n);
            read += n;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Length of the array behind SslStream's read buffer (its private SslBuffer wraps an ArrayBuffer), 0 when none.</summary>
    private static int RentedBytes(SslStream stream)
    {
        const BindingFlags Fields = BindingFlags.Instance | BindingFlags.NonPublic;
        var sslBuffer = typeof(SslStream).GetField("_buffer", Fields)?.GetValue(stream);
        Assert.NotNull(sslBuffer);
        var arrayBuffer = sslBuffer.GetType().GetField("_buffer", Fields)?.GetValue(sslBuffer);
        Assert.NotNull(arrayBuffer);
        var bytes = arrayBuffer.GetType().GetFields(Fields).Single(f => f.FieldType == typeof(byte[])).GetValue(arrayBuffer);
        return (bytes as byte[])?.Length ?? 0;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
