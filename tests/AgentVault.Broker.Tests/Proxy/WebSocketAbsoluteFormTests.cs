using System.Net;
using System.Net.WebSockets;
using System.Text;
using AgentVault.Broker.Model;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// <c>ws://</c> through the proxy: an absolute-form upgrade request (no CONNECT), to a plain-HTTP upstream. Substituting a credential
/// there needs the service's <c>allow_http</c>; without it the upgrade is refused with 403 <c>insecure_upstream</c>.
/// </summary>
public sealed class WebSocketAbsoluteFormTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Fact]
    public async Task WsAbsoluteForm_RoundTripsWithSubstitutedTextFrames()
    {
        await using var plain = await TestUpstream.StartAsync(ca: null);
        var config = ProxyHarness.DefaultConfig(plain.Port);
        config.Vaults![0].Services![0] = config.Vaults[0].Services![0] with
        {
            Substitutions = [new SubstitutionDefinition { Key = "API_KEY", Placeholder = "__api_key__", In = ["websocket"] }],
            AllowHttp = true,
        };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using var socket = new ClientWebSocket();
        socket.Options.Proxy = new WebProxy(broker.ProxyUri) { Credentials = new NetworkCredential(ProxyHarness.Token, "dev") };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await socket.ConnectAsync(new Uri($"ws://api.upstream.test:{plain.Port}/ws"), deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi __api_key__"), WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);

        Assert.Equal("echo:hi " + ProxyHarness.Secret, Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
        Assert.Contains("GET /ws", plain.Received);
    }

    [Fact]
    public async Task WsAbsoluteForm_WithSubstitutionAndWithoutAllowHttp_IsRefusedAsInsecure()
    {
        await using var plain = await TestUpstream.StartAsync(ca: null);
        var config = ProxyHarness.DefaultConfig(plain.Port);
        config.Vaults![0].Services![0] = config.Vaults[0].Services![0] with
        {
            Substitutions = [new SubstitutionDefinition { Key = "API_KEY", Placeholder = "__api_key__", In = ["websocket"] }],
        };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using var socket = new ClientWebSocket();
        socket.Options.Proxy = new WebProxy(broker.ProxyUri) { Credentials = new NetworkCredential(ProxyHarness.Token, "dev") };
        socket.Options.CollectHttpResponseDetails = true;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://api.upstream.test:{plain.Port}/ws"), deadline.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal("insecure_upstream", socket.HttpResponseHeaders?["X-Agent-Vault-Error"].Single());
        Assert.DoesNotContain("GET /ws", plain.Received);
    }
}
