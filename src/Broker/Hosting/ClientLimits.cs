using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentVault.Broker.Hosting;

/// <summary>
/// How long and how much a client of either listener (and an agent inside a tunnel) may take, stated here rather than
/// inherited from Kestrel's defaults so that docs/proxy.md ("Limits on clients") can be held to them. The CONNECT head,
/// the TLS handshake in a tunnel and a tunnel's stalled writes have their own bounds in the proxy
/// (<c>ConnectTunnelMiddleware.HandshakeTimeout</c>, <c>TunnelWriteWatchdog</c>).
/// </summary>
internal static class ClientLimits
{
    public static void Apply(KestrelServerLimits limits)
    {
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        limits.MaxRequestLineSize = 8 * 1024;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.Http2.MaxStreamsPerConnection = 100;
        limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
        limits.Http2.HeaderTableSize = 4096;
        limits.Http2.MaxFrameSize = 16 * 1024;
    }
}
