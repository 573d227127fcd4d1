using AgentVault.Testing.Upstream;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// HTTP/2 frame abuse inside a CONNECT tunnel (issue 16): rapid reset (CVE-2023-44487), a SETTINGS flood whose
/// acknowledgements are never read (CVE-2019-9515), a header block continued without end (the 2024 CONTINUATION flood).
/// </summary>
public sealed class Http2AbuseTests : HostileBrokerTest
{
    public Http2AbuseTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task RapidReset_InsideATunnel_IsCutOff_AndStartsFewUpstreamRequests()
    {
        await UnderAttackAsync(async () =>
        {
            var (tunnel, reader) = await OpenHttp2TunnelAsync();
            await using var owned = tunnel;
            var reading = reader.ReadUntilClosedAsync(CutOffDeadline);
            var sent = 0;
            try
            {
                for (var batch = 0; batch < 100 && !reading.IsCompleted; batch++)
                {
                    var frames = new MemoryStream();
                    for (var i = 0; i < 100; i++, sent++)
                    {
                        var stream = (sent * 2) + 3;
                        frames.Write(Http2Frames.Frame(Http2Frames.Headers, Http2Frames.EndStream | Http2Frames.EndHeaders, stream,
                            Http2Frames.RequestBlock("GET", Authority, "/slow?ms=3000&rr=" + sent)));
                        frames.Write(Http2Frames.Reset(stream));
                    }

                    await tunnel.Stream.WriteAsync(frames.ToArray());
                }
            }
            catch (IOException)
            {
                // The broker closed the connection while we were still writing.
            }

            var closed = await reading;
            var upstream = Upstream.ReceivedTargets.Count(t => t.Contains("rr=", StringComparison.Ordinal));
            Output.WriteLine($"rapid reset: {sent} requests sent and reset; broker: {reader}, closed: {closed}; upstream saw {upstream}");
            Assert.True(closed, $"the broker kept the connection open: {reader}");
            Assert.True(upstream < sent / 10, $"{upstream} of {sent} reset requests were forwarded upstream");
        });
    }

    [Fact]
    public async Task SettingsFlood_WithoutReadingTheAcknowledgements_IsCutOff()
    {
        await UnderAttackAsync(async () =>
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
        });
    }

    [Fact]
    public async Task HeaderBlockContinuedWithoutEnd_IsRefused_AndNothingReachesTheUpstream()
    {
        await UnderAttackAsync(async () =>
        {
            var (tunnel, reader) = await OpenHttp2TunnelAsync();
            await using var owned = tunnel;
            var reading = reader.ReadUntilClosedAsync(CutOffDeadline);
            var field = Http2Frames.Field("x-flood", new string('c', 4000));
            var continuation = Http2Frames.Frame(Http2Frames.Continuation, 0, 3, [.. field, .. field, .. field, .. field]);
            var sentBytes = 0L;
            try
            {
                await tunnel.Stream.WriteAsync(Http2Frames.Frame(Http2Frames.Headers, Http2Frames.EndStream, 3, Http2Frames.RequestBlock("GET", Authority, "/continued")));
                while (!reading.IsCompleted && sentBytes < 64L * 1024 * 1024)
                {
                    await tunnel.Stream.WriteAsync(continuation);
                    sentBytes += continuation.Length;
                }
            }
            catch (IOException)
            {
                // The broker closed the connection while we were still writing.
            }

            var closed = await reading;
            Output.WriteLine($"CONTINUATION flood: {sentBytes / 1024} KiB of header block sent; broker: {reader}, closed: {closed}");
            Assert.True(closed, $"the broker kept the connection open: {reader}");
            Assert.False(Upstream.Saw("/continued"), "the flooded request reached the upstream");
        });
    }

    /// <summary>
    /// An HTTP/2 tunnel of the attacker in which one well-formed request (stream 1) has been answered, so that what the broker
    /// does with the abuse that follows is about the abuse and not about a frame this test got wrong.
    /// </summary>
    private async Task<(RawProxyClient Tunnel, Http2FrameReader Frames)> OpenHttp2TunnelAsync()
    {
        var tunnel = await OpenTunnelAsync("h2");
        await tunnel.Stream.WriteAsync(Http2Frames.Preface);
        await tunnel.Stream.WriteAsync(Http2Frames.EmptySettings());
        await tunnel.Stream.WriteAsync(Http2Frames.Frame(Http2Frames.Headers, Http2Frames.EndStream | Http2Frames.EndHeaders, 1,
            Http2Frames.RequestBlock("GET", Authority, "/well-formed")));
        var frames = new Http2FrameReader(tunnel.Stream);
        Assert.True(await frames.ReadUntilAsync(f => f.HeadersReceived > 0, TimeSpan.FromSeconds(30)) && frames.HeadersReceived == 1,
            $"the well-formed request was not answered: {frames}");
        return (tunnel, frames);
    }
}
