using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Closes a TLS tunnel whose client stops taking what the broker writes: a client that never reads, or floods frames whose
/// answers it never reads, would otherwise hold the connection (and the upstream request behind it) for as long as it
/// likes. One timer for all tunnels sweeps every quarter of <see cref="StallTimeout"/>; the write path only stamps when a
/// write started and clears the stamp when it finished, so it costs two memory writes and no allocation.
/// </summary>
internal sealed class TunnelWriteWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<DuplexPipeStream, ConnectionContext> _tunnels = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    public TunnelWriteWatchdog(TimeProvider time, ILogger<TunnelWriteWatchdog> logger)
        : this(time, logger, DefaultStallTimeout)
    {
    }

    public TunnelWriteWatchdog(TimeProvider time, ILogger<TunnelWriteWatchdog> logger, TimeSpan stallTimeout)
    {
        _time = time;
        _logger = logger;
        StallTimeout = stallTimeout;
        var period = stallTimeout / 4;
        _sweep = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>How long one write into a tunnel may wait for the client before the tunnel is closed.</summary>
    public static TimeSpan DefaultStallTimeout { get; } = TimeSpan.FromSeconds(60);

    public TimeSpan StallTimeout { get; }

    /// <summary>Watches <paramref name="stream"/> (the encrypted side of <paramref name="connection"/>) until the result is disposed.</summary>
    public Registration Watch(DuplexPipeStream stream, ConnectionContext connection)
    {
        _tunnels[stream] = connection;
        return new Registration(this, stream);
    }

    public void Dispose() => _sweep.Dispose();

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (stream, connection) in _tunnels)
        {
            var started = stream.WriteStartedAt;
            if (started != 0 && _time.GetElapsedTime(started, now) >= StallTimeout && _tunnels.TryRemove(stream, out _))
            {
                ProxyLog.TunnelWriteStalled(_logger, connection.ConnectionId, (int)StallTimeout.TotalSeconds);
                connection.Abort(new ConnectionAbortedException("The client took nothing the broker wrote for " + StallTimeout.TotalSeconds + " s."));
            }
        }
    }

    internal readonly struct Registration : IDisposable
    {
        private readonly TunnelWriteWatchdog _watchdog;
        private readonly DuplexPipeStream _stream;

        public Registration(TunnelWriteWatchdog watchdog, DuplexPipeStream stream)
        {
            _watchdog = watchdog;
            _stream = stream;
        }

        public void Dispose() => _watchdog._tunnels.TryRemove(_stream, out _);
    }
}
