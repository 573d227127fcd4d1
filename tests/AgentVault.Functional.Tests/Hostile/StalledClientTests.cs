using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// Clients that stall rather than attack fast (issue 16): tunnels idle after TLS (closed after the 130 s keep-alive
/// timeout), a download never read, over HTTP/1.1 by not reading the socket (closed by the tunnel write watchdog, 60–75 s)
/// and over HTTP/2 by never opening the flow-control window (stream reset after the 100 s upstream timeout), and a SETTINGS
/// flood whose acknowledgements are never read (CVE-2019-9515; closed by the watchdog). Their bounds are long, so the four
/// run at the same time in one test, under one well-behaved agent.
/// </summary>
public sealed class StalledClientTests : HostileBrokerTest
{
    private const string Download = "/large?bytes=4294967296&chunked=1";

    public StalledClientTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task StalledClients_AreCutOff_WhileAnAgentIsServed()
    {
        await UnderAttackAsync(() => Task.WhenAll(IdleTunnelsAsync(), NeverReadingClientsAsync(), SettingsFloodAsync()));
    }

    /// <summary>50 TLS tunnels (half HTTP/1.1, half HTTP/2 after the preface) that never send a request.</summary>
    private async Task IdleTunnelsAsync()
    {
        var tunnels = new List<Testing.Upstream.RawProxyClient>();
        for (var i = 0; i < 50; i++)
        {
            var tunnel = await OpenTunnelAsync(i % 2 == 0 ? "http/1.1" : "h2");
            if (i % 2 == 1)
            {
                await tunnel.Stream.WriteAsync(Http2Frames.Preface);
                await tunnel.Stream.WriteAsync(Http2Frames.EmptySettings());
            }

            tunnels.Add(tunnel);
        }

        var closed = await ConnectionState.WaitForCloseAsync([.. tunnels.Select(t => t.LocalEndPoint)], TimeSpan.FromSeconds(200));
        Output.WriteLine($"idle tunnels: {closed.Count(c => c is not null)}/{closed.Length} closed, after {closed.Min()?.TotalSeconds:F1}–{closed.Max()?.TotalSeconds:F1} s");
        Assert.All(closed, c => Assert.NotNull(c));
        foreach (var tunnel in tunnels)
        {
            await tunnel.DisposeAsync();
        }
    }

    /// <summary>A 4 GiB streamed download whose HTTP/1.1 client stops reading the socket, and one whose HTTP/2 client never opens its window.</summary>
    private async Task NeverReadingClientsAsync()
    {
        await using var socketStall = await OpenTunnelAsync();
        await socketStall.Stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {Download}&stall=socket HTTP/1.1\r\nHost: {Authority}\r\n\r\n"));

        await using var windowStall = await OpenTunnelAsync("h2");
        await windowStall.Stream.WriteAsync(Http2Frames.Preface);
        await windowStall.Stream.WriteAsync(Http2Frames.EmptySettings());
        await windowStall.Stream.WriteAsync(Http2Frames.Frame(Http2Frames.Headers, Http2Frames.EndStream | Http2Frames.EndHeaders, 1,
            Http2Frames.RequestBlock("GET", Authority, Download + "&stall=window")));
        var frames = new Http2FrameReader(windowStall.Stream);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var streamEnded = frames.ReadUntilAsync(f => f.ResetsReceived > 0 || f.GoAwayError is not null, TimeSpan.FromSeconds(150));

        var socketClosed = await ConnectionState.WaitForCloseAsync(socketStall.LocalEndPoint, TimeSpan.FromSeconds(150));
        Output.WriteLine($"HTTP/1.1 client that stopped reading the socket: tunnel closed after {socketClosed?.TotalSeconds:F1} s");
        var ended = await streamEnded;
        Output.WriteLine($"HTTP/2 client that never opened the window: {frames} after {clock.Elapsed.TotalSeconds:F1} s");

        Assert.NotNull(socketClosed);
        Assert.True(ended && frames.ResetsReceived + (frames.GoAwayError is null ? 0 : 1) > 0, $"the stalled HTTP/2 stream was never ended: {frames}");
    }

    /// <summary>Empty SETTINGS frames written as fast as the broker takes them; the acknowledgements are never read.</summary>
    private async Task SettingsFloodAsync()
    {
        var (tunnel, _) = await OpenHttp2TunnelAsync();
        await using var owned = tunnel;
        var sent = 0;
        var settings = new MemoryStream();
        for (var i = 0; i < 10_000; i++)
        {
            settings.Write(Http2Frames.EmptySettings());
        }

        var block = settings.ToArray();
        using var timeout = new CancellationTokenSource(CutOffDeadline);
        try
        {
            while (!timeout.IsCancellationRequested && sent < 10_000_000)
            {
                await tunnel.Stream.WriteAsync(block, timeout.Token);
                sent += 10_000;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The broker closed the connection (or stopped reading) while we were still writing.
        }

        var closedAfter = await ConnectionState.WaitForCloseAsync(tunnel.LocalEndPoint, TimeSpan.FromSeconds(30));
        Output.WriteLine($"settings flood: {sent} SETTINGS frames sent without reading the acknowledgements; broker closed: {closedAfter?.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "no"}");
        Assert.True(closedAfter is not null, $"the broker kept the connection open after {sent} SETTINGS frames");
    }
}
