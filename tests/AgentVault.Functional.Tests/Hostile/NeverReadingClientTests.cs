using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// A client that asks for a large download and never takes it (issue 16): over HTTP/1.1 it stops reading the socket, so the
/// broker's writes into the tunnel stall until the tunnel write watchdog closes the tunnel; over HTTP/2 it reads frames but
/// never opens the flow-control window, so the response stalls until the upstream activity timeout resets the stream.
/// Both hold a streaming upstream request that must end with them.
/// </summary>
public sealed class NeverReadingClientTests : HostileBrokerTest
{
    private const string Download = "/large?bytes=4294967296&chunked=1";

    public NeverReadingClientTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task ClientThatNeverReads_IsCutOff_OverHttp11AndHttp2()
    {
        await UnderAttackAsync(async () =>
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
        });
    }
}
