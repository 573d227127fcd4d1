using System.Text;
using AgentVault.Testing.Upstream;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// Slow and broken HTTP/1.1 clients against the real broker process (issue 16): slowloris on both ports, oversized heads,
/// half-open tunnels and clients that never read. For each, the broker cuts the connection off within the limits of
/// docs/proxy.md while a well-behaved agent is served without a single failure.
/// </summary>
public sealed class SlowClientTests : HostileBrokerTest
{
    public SlowClientTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task Slowloris_OnTheProxyAndApiPorts_IsCutOff_WhileAnAgentIsServed()
    {
        var proxy = Broker.ProxyUri;
        var api = Broker.Process.ApiUrl;
        var clients = new List<(SlowClient Client, Uri Server)>();
        for (var i = 0; i < 100; i++)
        {
            clients.Add((SlowClient.For("CONNECT head", $"CONNECT {Authority} HTTP/1.1\r\nHost: {Authority}\r\n"), proxy));
            clients.Add((SlowClient.For("absolute-form head", $"GET http://{Authority}/x HTTP/1.1\r\nHost: {Authority}\r\n"), proxy));
            clients.Add((SlowClient.For("API head", $"GET /v1/health HTTP/1.1\r\nHost: {api.Authority}\r\n"), api));
        }

        await UnderAttackAsync(async () =>
        {
            await Task.WhenAll(clients.Select(c => c.Client.RunAsync(c.Server, TimeSpan.FromMilliseconds(250), CutOffDeadline)));
            foreach (var group in clients.GroupBy(c => c.Client.ToString().Split(':')[0]))
            {
                var closed = group.Select(c => c.Client.ClosedAfter).OfType<TimeSpan>().ToList();
                Output.WriteLine($"{group.Key}: {closed.Count}/{group.Count()} cut off, after {closed.DefaultIfEmpty().Min().TotalSeconds:F1}–{closed.DefaultIfEmpty().Max().TotalSeconds:F1} s; e.g. {group.First().Client}");
            }

            Assert.All(clients, c => Assert.True(c.Client.ClosedAfter is not null, c.Client.ToString()));
        });
    }

    [Theory]
    [InlineData("CONNECT", 17 * 1024, 400)]
    [InlineData("absolute-form", 40 * 1024, 431)]
    [InlineData("API", 40 * 1024, 431)]
    [InlineData("inside a tunnel", 40 * 1024, 431)]
    public async Task OversizedHead_IsRefused_AndTheConnectionClosed(string where, int size, int status)
    {
        var padding = string.Concat(Enumerable.Repeat("X-Big: " + new string('b', 1000) + "\r\n", (size / 1009) + 1));
        await UnderAttackAsync(async () =>
        {
            Stream stream;
            string head;
            await using var client = await RawProxyClient.ConnectAsync(where == "API" ? Broker.Process.ApiUrl : Broker.ProxyUri);
            switch (where)
            {
                case "CONNECT":
                    head = $"CONNECT {Authority} HTTP/1.1\r\nHost: {Authority}\r\n{padding}Proxy-Authorization: {Credentials(Attacker)}\r\n\r\n";
                    break;
                case "absolute-form":
                    head = $"GET http://{Authority}/x HTTP/1.1\r\nHost: {Authority}\r\nProxy-Authorization: {Credentials(Attacker)}\r\n{padding}\r\n";
                    break;
                case "API":
                    head = $"GET /v1/health HTTP/1.1\r\nHost: {Broker.Process.ApiUrl.Authority}\r\n{padding}\r\n";
                    break;
                default:
                    Assert.Equal(200, (await client.ConnectAsync(Authority, Credentials(Attacker))).Status);
                    await client.StartTlsAsync(Host, (certificate, errors) => TestCertificateAuthority.ValidateWithRoot(Broker.Ca, certificate, errors));
                    head = $"GET /x HTTP/1.1\r\nHost: {Authority}\r\n{padding}\r\n";
                    break;
            }

            stream = client.Stream;
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var answer = await ReadToEndAsync(stream);
            Output.WriteLine($"{where}: {size} bytes → {answer.Split("\r\n")[0]}");
            Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
            Assert.False(Upstream.Saw("/x"), "an oversized head reached the upstream");
        });
    }

    [Fact]
    public async Task TunnelThatNeverStartsTls_IsClosedAfterTheHandshakeTimeout()
    {
        await UnderAttackAsync(async () =>
        {
            var tunnels = new List<RawProxyClient>();
            for (var i = 0; i < 100; i++)
            {
                var client = await RawProxyClient.ConnectAsync(Broker.ProxyUri);
                Assert.Equal(200, (await client.ConnectAsync(Authority, Credentials(Attacker))).Status);
                tunnels.Add(client);
            }

            var closed = await ConnectionState.WaitForCloseAsync([.. tunnels.Select(t => t.LocalEndPoint)], CutOffDeadline);
            Output.WriteLine($"silent tunnels: {closed.Count(c => c is not null)}/{closed.Length} closed, the last after {closed.Max()?.TotalSeconds:F1} s");
            Assert.All(closed, c => Assert.NotNull(c));
            foreach (var tunnel in tunnels)
            {
                await tunnel.DisposeAsync();
            }
        });
    }

    [Theory]
    [InlineData("after CONNECT")]
    [InlineData("after TLS")]
    public async Task HalfClosedTunnel_IsClosedByTheBroker(string when)
    {
        await UnderAttackAsync(async () =>
        {
            await using var tunnel = when == "after TLS" ? await OpenTunnelAsync() : await RawProxyClient.ConnectAsync(Broker.ProxyUri);
            if (when == "after CONNECT")
            {
                Assert.Equal(200, (await tunnel.ConnectAsync(Authority, Credentials(Attacker))).Status);
            }

            tunnel.ShutdownSend();
            var closed = await ConnectionState.WaitForCloseAsync(tunnel.LocalEndPoint, CutOffDeadline);
            Output.WriteLine($"half-closed {when}: closed by the broker after {closed?.TotalSeconds:F1} s");
            Assert.NotNull(closed);
        });
    }
}
