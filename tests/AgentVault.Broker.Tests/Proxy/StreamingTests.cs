using System.Net;
using System.Net.WebSockets;
using System.Text;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Bodies and protocols that must pass through as they arrive: SSE, chunked, large bodies, redirects, WebSockets.</summary>
public sealed class StreamingTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private Uri Upstream(string path) => new(fixture.Upstream.BaseUri(), path);

    [Fact]
    public async Task ServerSentEvents_FirstEventArrivesBeforeTheStreamEnds()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync(Upstream("/sse"), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));

        // The upstream holds the second event until the test releases it: a buffering proxy never delivers the first.
        Assert.Equal("data: first", await reader.ReadLineAsync(deadline.Token));
        fixture.Upstream.ReleaseSse();
        Assert.Equal(string.Empty, await reader.ReadLineAsync(deadline.Token));
        Assert.Equal("data: second", await reader.ReadLineAsync(deadline.Token));
    }

    [Fact]
    public async Task ChunkedAndLargeBodies_PassThroughIntact()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();

        Assert.Equal("part0;part1;part2;part3;part4;", await client.GetStringAsync(Upstream("/chunked")));
        var large = await client.GetByteArrayAsync(Upstream("/large?bytes=1048576&chunked=1"));
        Assert.Equal(1 << 20, large.Length);
        var upload = new string('u', 1 << 20);
        using var posted = await client.PostAsync(Upstream("/echo/upload"), new StringContent(upload));
        Assert.True(posted.IsSuccessStatusCode, string.Join("\n", broker.Logs.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase))));
        var echo = await EchoResponse.ReadAsync(posted);
        Assert.Equal(upload.Length, echo.Body.Length);
    }

    [Fact]
    public async Task Redirect_IsReturnedNotFollowed()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(Upstream("/redirect"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/echo/redirected", response.Headers.Location?.OriginalString);
        Assert.DoesNotContain(fixture.Upstream.Received, r => r.EndsWith("/echo/redirected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocketInTunnel_RoundTripsWithSubstitutedTextFrames()
    {
        var config = ProxyHarness.DefaultConfig(fixture.Upstream.Port);
        config.Vaults![0].Services![0] = config.Vaults[0].Services![0] with
        {
            Substitutions = [new SubstitutionDefinition { Key = "API_KEY", Placeholder = "__api_key__", In = ["websocket"] }],
        };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using var socket = new ClientWebSocket();
        socket.Options.Proxy = new WebProxy(broker.ProxyUri) { Credentials = new NetworkCredential(ProxyHarness.Token, "dev") };
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => broker.BrokerCa.Validates(certificate, errors);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"wss://api.upstream.test:{fixture.Upstream.Port}/ws"), deadline.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello __api_key__"), WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);

        Assert.Equal("echo:hello " + ProxyHarness.Secret, Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
    }

    [Fact]
    public async Task Upstream401_IsRetriedOnceWhenTheSchemeRefreshes()
    {
        var config = ProxyHarness.DefaultConfig(fixture.Upstream.Port);
        config.Vaults![0].Services![0].Auth!["refresh_on_401"] = "true";
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(Upstream("/unauthorized-once"));

        var echo = await EchoResponse.ReadAsync(response);
        Assert.Equal("Bearer " + ProxyHarness.Secret, echo.Header("Authorization"));
        Assert.Equal(1, broker.TestScheme.UnauthorizedCalls);
    }
}
