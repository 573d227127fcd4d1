using AgentVault.Testing.Upstream;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// HTTP/2 frame abuse inside a CONNECT tunnel (issue 16): rapid reset (CVE-2023-44487), a header block continued without end (the 2024 CONTINUATION flood).
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
}
