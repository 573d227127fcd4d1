using System.Net;
using System.Net.Sockets;
using AgentVault.Broker.Policy;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Outbound;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the outbound handlers: resolves the name once (or takes the
/// <c>--resolve</c> pin), checks every address with the <see cref="NetworkGuard"/> when one is given (refusing the whole
/// name if any address is blocked, so DNS answers cannot be mixed to slip one through), and dials only addresses it checked.
/// </summary>
internal sealed partial class OutboundConnector
{
    private readonly IReadOnlyDictionary<string, IPAddress> _pins;
    private readonly NetworkGuard? _guard;
    private readonly ILogger _logger;

    public OutboundConnector(IReadOnlyDictionary<string, IPAddress> pins, NetworkGuard? guard, ILogger logger)
    {
        _pins = pins;
        _guard = guard;
        _logger = logger;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = await ResolveAsync(host, cancellationToken);
        CheckAll(host, port, addresses);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The addresses the connector would dial for <paramref name="host"/>, after the pin table and DNS.</summary>
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(name, out var literal))
        {
            return [literal];
        }

        if (_pins.TryGetValue(name, out var pinned))
        {
            return [pinned];
        }

        var resolved = await Dns.GetHostAddressesAsync(name, cancellationToken);
        return resolved.Length > 0 ? resolved : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Throws <see cref="DestinationBlockedException"/> when any of the addresses is blocked (internal for tests).</summary>
    internal void CheckAll(string host, int port, IPAddress[] addresses)
    {
        if (_guard is null)
        {
            return;
        }

        foreach (var address in addresses)
        {
            var verdict = _guard.Check(address);
            if (!verdict.Allowed)
            {
                LogBlocked(_logger, host, port, verdict.Category);
                throw new DestinationBlockedException(host, port, verdict.Category);
            }
        }
    }

    [LoggerMessage(EventId = 3101, EventName = "DestinationBlocked", Level = LogLevel.Warning,
        Message = "Refused to connect to {Host}:{Port}: it resolves to a {Category} address (see --allow-network, --dev)")]
    private static partial void LogBlocked(ILogger logger, string host, int port, AddressCategory category);
}
