using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// Tunnels whose clients finished TLS and then say nothing (issue 16): each is an idle keep-alive connection, which the
/// broker closes after the keep-alive timeout (130 s), HTTP/1.1 and HTTP/2 alike.
/// </summary>
public sealed class IdleTunnelTests : HostileBrokerTest
{
    public IdleTunnelTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task TunnelsIdleAfterTls_AreClosedAfterTheKeepAliveTimeout()
    {
        await UnderAttackAsync(async () =>
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
        });
    }
}
