using System.Net.Security;
using System.Net.Sockets;
using AgentVault.Broker.Outbound;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Sinks;

/// <summary>
/// <c>syslog+tcp://</c> and <c>syslog+tls://</c>: one long-lived connection carrying octet-counted RFC 5424 frames. TLS is
/// verified like upstream TLS (system store, then <c>--upstream-ca</c>; the host name is always checked). A broken
/// connection is dropped and the batch fails; the sink retries it on a new connection after a back-off.
/// </summary>
internal sealed class SyslogSinkWriter(SinkAddress address, OutboundTrust trust, ILogger logger) : ISinkWriter
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly string _hostName = SinkRecordFormat.HostName(Environment.MachineName);
    private readonly int _processId = Environment.ProcessId;
    private TcpClient? _client;
    private Stream? _stream;

    public async Task WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            var stream = _stream ?? await ConnectAsync(cancellationToken);
            foreach (var record in batch)
            {
                await stream.WriteAsync(SinkRecordFormat.SyslogFrame(record, _hostName, _processId), cancellationToken);
            }

            await stream.FlushAsync(cancellationToken);
        }
        catch
        {
            await CloseAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectTimeout);
        _client = new TcpClient { NoDelay = true };
        await _client.ConnectAsync(address.Target, address.Port, deadline.Token);
        Stream stream = _client.GetStream();
        if (address.Kind == SinkKind.SyslogTls)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            stream = tls;
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = address.Target, RemoteCertificateValidationCallback = trust.Validate },
                deadline.Token);
        }

        _stream = stream;
        SinksLog.Connected(logger, address.Name);
        return stream;
    }

    private async Task CloseAsync()
    {
        var stream = _stream;
        _stream = null;
        if (stream is not null)
        {
            try
            {
                await stream.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The connection is gone already.
            }
        }

        _client?.Dispose();
        _client = null;
    }
}
