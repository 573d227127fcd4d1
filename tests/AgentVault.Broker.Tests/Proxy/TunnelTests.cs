using System.Net;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Proxy;

public sealed class TunnelTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private Uri Upstream(string path) => new(fixture.Upstream.BaseUri(), path);

    // HTTP/2 inside the tunnel is covered with curl --http2 (HttpClient speaks HTTP/1.1 in proxy tunnels).
    [Fact]
    public async Task ConnectTunnel_InjectsCredentialAndStripsAgentAuthorization()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Upstream("/echo/hello?x=1"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer agent-fake-key");
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, string.Join("\n", broker.Logs.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase))));
        var echo = await EchoResponse.ReadAsync(response);

        Assert.Equal("Bearer " + ProxyHarness.Secret, echo.Header("Authorization"));
        Assert.Equal("/echo/hello", echo.Path);
        Assert.Equal("?x=1", echo.Query);
        Assert.Null(echo.Header("Proxy-Authorization"));
        Assert.Equal("HTTP/2", echo.Protocol);
        Assert.Contains("api.upstream.test", broker.Authority.Requested);
    }

    // HttpClient sends a Host header it is given as the TLS server name too; a server name other than the CONNECT host
    // fails the handshake, so the request never reaches anyone (InTunnelTests covers a spoofed Host with the right SNI).
    [Fact]
    public async Task SpoofedHostHeaderInsideTunnel_NeverReachesAnotherDestination()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Upstream("/echo/spoof"));
        request.Headers.Host = "evil.example.com";

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.DoesNotContain("evil.example.com", broker.Authority.Requested);
        Assert.DoesNotContain(fixture.Upstream.Received, r => r.EndsWith("/echo/spoof", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestLog_RecordsOneEntryWithKeyNamesButNoValues()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(Upstream("/echo/logged?token=querysecret"));
        await EchoResponse.ReadAsync(response);

        var record = Assert.Single(broker.RequestLog.Records);
        Assert.Equal(("claude", "dev", "api", "GET", "api.upstream.test", fixture.Upstream.Port, "/echo/logged", 200),
            (record.Agent, record.Vault, record.Service, record.Method, record.Host, record.Port, record.Path, record.Status));
        Assert.Equal(["API_KEY"], record.Credentials);
        Assert.Null(record.Error);
        var json = JsonSerializer.Serialize(record);
        Assert.DoesNotContain(ProxyHarness.Secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain("querysecret", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSecretInLogsAtTraceLevel()
    {
        var config = ProxyHarness.DefaultConfig(fixture.Upstream.Port);
        config.Vaults![0].Services![0] = config.Vaults[0].Services![0] with
        {
            Substitutions = [new Model.SubstitutionDefinition { Key = "API_KEY", Placeholder = "__key__", In = ["path", "query"] }],
        };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using (var client = broker.CreateClient())
        {
            using var ok = await client.GetAsync(Upstream("/echo/__key__?k=__key__"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("/echo/" + ProxyHarness.Secret, await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var bad = broker.CreateClient(user: "avt_wrong-token"))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => bad.GetAsync(Upstream("/echo/b")));
        }

        Assert.NotEmpty(broker.Logs.Lines);
        foreach (var line in broker.Logs.Lines)
        {
            Assert.DoesNotContain(ProxyHarness.Secret, line, StringComparison.Ordinal);
            Assert.DoesNotContain(ProxyHarness.Token, line, StringComparison.Ordinal);
            Assert.DoesNotContain("avt_wrong-token", line, StringComparison.Ordinal);
        }
    }
}
