using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Snapshots;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Connection middleware of the proxy listener. A connection that starts with <c>CONNECT </c> is authenticated, answered
/// <c>200 Connection Established</c> and, when the client starts TLS, terminated with a leaf certificate from the local CA;
/// the decrypted stream then replaces the transport so Kestrel serves HTTP/1.1 or HTTP/2 (by ALPN) inside the tunnel.
/// Anything else (absolute-form requests) goes to Kestrel untouched.
/// </summary>
internal sealed class ConnectTunnelMiddleware
{
    private const int MaxHeadBytes = 16 * 1024;
    private const byte TlsHandshakeRecord = 0x16;
    private static readonly byte[] ConnectPrefix = "CONNECT "u8.ToArray();
    private static readonly byte[] HeadTerminator = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Established = "HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray();
    private static readonly SslApplicationProtocol[] Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly AgentAuthenticator _authenticator;
    private readonly SnapshotPublisher _snapshots;
    private readonly LeafCertificateCache _certificates;
    private readonly TunnelRateGate _rates;
    private readonly ILogger _logger;
    private readonly IRequestLogSink _log;
    private readonly UnauthenticatedRefusals _unauthenticated;
    private readonly TimeProvider _time;
    private readonly TunnelWriteWatchdog _watchdog;

    public ConnectTunnelMiddleware(AgentAuthenticator authenticator, SnapshotPublisher snapshots, LeafCertificateCache certificates, TunnelRateGate rates,
        ILogger<ConnectTunnelMiddleware> logger, IRequestLogSink log, UnauthenticatedRefusals unauthenticated, TimeProvider time, TunnelWriteWatchdog watchdog)
    {
        _watchdog = watchdog;
        _log = log;
        _unauthenticated = unauthenticated;
        _time = time;
        _authenticator = authenticator;
        _snapshots = snapshots;
        _certificates = certificates;
        _rates = rates;
        _logger = logger;
    }

    /// <summary>Time allowed for the CONNECT head and, separately, for the TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var started = _time.GetTimestamp();
        bool isConnect;
        ConnectHead? head = null;
        // Disposed once the head is read: a tunnel lives for hours, and its timer and registration must not live with it.
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(HandshakeTimeout);
            try
            {
                isConnect = await StartsWithConnectAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
                if (isConnect)
                {
                    head = await ReadHeadAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                ProxyLog.ConnectHeadTimeout(_logger, connection.ConnectionId);
                return;
            }
        }

        if (!isConnect)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        if (head is null)
        {
            await RefuseAsync(connection, new ProxyRefusal(ProxyError.BadRequest, "Malformed CONNECT request (expected 'CONNECT host:port HTTP/1.1')."))
                .ConfigureAwait(false);
            return;
        }

        var destination = new ProxyDestination(https: true, head.Host, head.Port);
        var client = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
        if (Admit(head, destination, client, out var agent, out var vault, out var prepaidAgent) is { } refusal)
        {
            ProxyLog.ConnectRefused(_logger, destination.Host, destination.Port, refusal.Error.Code);
            var written = await RefuseAsync(connection, refusal).ConfigureAwait(false);
            if (agent is null)
            {
                _unauthenticated.Record(refusal.Error, client);
            }
            else
            {
                // An authenticated agent's refusal is audited: probing for exfiltration hosts must not be invisible.
                _log.Write(ConnectRecord(started, agent, vault, destination, refusal, written));
            }

            return;
        }

        await connection.Transport.Output.WriteAsync(Established, connection.ConnectionClosed).ConfigureAwait(false);
        await RunTunnelAsync(connection, next, head, destination, prepaidAgent).ConfigureAwait(false);
    }

    /// <summary>
    /// Authenticates the CONNECT, takes a token of the agent's request rate before anything else is done for it, and checks the
    /// vault covers its host; <paramref name="agent"/> is null when the client did not authenticate.
    /// </summary>
    private ProxyRefusal? Admit(ConnectHead head, ProxyDestination destination, System.Net.IPAddress? client, out string? agent, out string? vaultName, out string? prepaidAgent)
    {
        vaultName = null;
        prepaidAgent = null;
        var snapshot = _snapshots.Current;
        if (!_authenticator.TryAuthenticate(snapshot.Tokens, head.ProxyAuthorization, cache: null, out var identity, out var refusal, out agent, client))
        {
            return refusal;
        }

        vaultName = identity.Vault;
        if (_rates.TryAdmit(identity, snapshot) is { } limited)
        {
            return limited;
        }

        prepaidAgent = identity.Agent;

        var vault = snapshot.Routes.FindVault(identity.Vault);
        if (vault is null)
        {
            return new ProxyRefusal(ProxyError.VaultNotFound, "Vault '" + identity.Vault + "' does not exist or this token may not use it.");
        }

        return vault.Passthrough || vault.CoversHost(destination.Host, destination.Port)
            ? null
            : ServiceRouting.HostNotAllowed(identity.Vault, destination);
    }

    private RequestLogRecord ConnectRecord(long started, string agent, string? vault, ProxyDestination destination, ProxyRefusal refusal, int bytesOut) => new()
    {
        Time = _time.GetUtcNow(),
        Agent = agent,
        Vault = vault,
        Method = "CONNECT",
        Host = destination.Host,
        Port = destination.Port,
        Path = string.Empty,
        Status = refusal.Error.Status,
        DurationMs = (long)_time.GetElapsedTime(started).TotalMilliseconds,
        BytesOut = bytesOut,
        Error = refusal.Error.Code,
    };

    private async Task RunTunnelAsync(ConnectionContext connection, ConnectionDelegate next, ConnectHead head, ProxyDestination destination, string? prepaidAgent)
    {
        var input = connection.Transport.Input;
        bool isTls;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            firstByte.CancelAfter(HandshakeTimeout);
            try
            {
                var result = await input.ReadAsync(firstByte.Token).ConfigureAwait(false);
                if (result.Buffer.IsEmpty)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    return;
                }

                isTls = result.Buffer.FirstSpan[0] == TlsHandshakeRecord;
                input.AdvanceTo(result.Buffer.Start);
            }
            catch (OperationCanceledException)
            {
                ProxyLog.ConnectHeadTimeout(_logger, connection.ConnectionId);
                return;
            }
        }

        if (!isTls)
        {
            // Plain HTTP inside the tunnel (e.g. ws:// through CONNECT): same pipeline, upstream over plain HTTP.
            connection.Features.Set(new ProxyTunnelFeature(new ProxyDestination(https: false, destination.Host, destination.Port), head.ProxyAuthorization, prepaidAgent));
            await next(connection).ConfigureAwait(false);
            return;
        }

        var tunnel = new ProxyTunnelFeature(destination, head.ProxyAuthorization, prepaidAgent);
        var originalTransport = connection.Transport;
        var encrypted = new DuplexPipeStream(originalTransport, _time);
        using var watched = _watchdog.Watch(encrypted, connection);
        var ssl = new SslStream(encrypted, leaveInnerStreamOpen: false);
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
            {
                handshake.CancelAfter(HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(SelectOptions, tunnel, handshake.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ArgumentException or InvalidOperationException)
        {
            ProxyLog.TunnelHandshakeFailed(_logger, destination.Host, destination.Port, ex);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        var decrypted = new StreamDuplexPipe(ssl, pool);
        var tls = new TunnelTlsFeature(ssl, tunnel.TlsServerName ?? destination.Host);
        connection.Features.Set(tunnel);
        connection.Features.Set<ITlsConnectionFeature>(tls);
        connection.Features.Set<ITlsHandshakeFeature>(tls);
        connection.Features.Set<ITlsApplicationProtocolFeature>(tls);
        connection.Transport = decrypted;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await decrypted.Input.CompleteAsync().ConfigureAwait(false);
            await decrypted.Output.CompleteAsync().ConfigureAwait(false);
            await ssl.DisposeAsync().ConfigureAwait(false);
            connection.Transport = originalTransport;
        }
    }

    private ValueTask<SslServerAuthenticationOptions> SelectOptions(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        var tunnel = (ProxyTunnelFeature)state!;
        var name = TunnelServerName.Select(hello.ServerName, tunnel.Destination.Host);
        tunnel.TlsServerName = name;
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificates.Get(name),
            ApplicationProtocols = [.. Protocols],
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        });
    }

    private static async Task<bool> StartsWithConnectAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, ConnectPrefix.Length);
            var matches = PrefixMatches(buffer.Slice(0, length));
            if (!matches || length == ConnectPrefix.Length || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return matches && length == ConnectPrefix.Length;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool PrefixMatches(ReadOnlySequence<byte> start)
    {
        Span<byte> bytes = stackalloc byte[ConnectPrefix.Length];
        start.CopyTo(bytes);
        return bytes[..(int)start.Length].SequenceEqual(ConnectPrefix.AsSpan(0, (int)start.Length));
    }

    private static async Task<ConnectHead?> ReadHeadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, HeadTerminator, advancePastDelimiter: true))
            {
                var parsed = head.Length <= MaxHeadBytes ? ConnectHead.Parse(head) : null;
                input.AdvanceTo(reader.Position);
                return parsed;
            }

            if (buffer.Length > MaxHeadBytes || result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes the refusal and closes; returns the length of the problem body sent (0 when the client had gone).</summary>
    private async Task<int> RefuseAsync(ConnectionContext connection, ProxyRefusal refusal)
    {
        var answer = ProxyProblem.FormatHttp11(refusal, out var bodyLength);
        try
        {
            await connection.Transport.Output.WriteAsync(answer, connection.ConnectionClosed).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            return bodyLength;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException)
        {
            ProxyLog.ClientGone(_logger, connection.ConnectionId, ex);
            return 0;
        }
    }
}
