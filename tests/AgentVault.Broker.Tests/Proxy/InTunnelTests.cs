using System.Globalization;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Per-request behaviour inside an open tunnel: authentication, revocation, expiry, SNI and Host spoofing.</summary>
public sealed class InTunnelTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private string Authority => "api.upstream.test:" + fixture.Upstream.Port.ToString(CultureInfo.InvariantCulture);

    private async Task<RawProxyClient> OpenTunnelAsync(ProxyHarness broker, string? sni = null, string? authorization = null)
    {
        var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var connect = await client.ConnectAsync(Authority, authorization ?? RawProxyClient.Basic(ProxyHarness.Token, "dev"));
        Assert.Equal(200, connect.Status);
        await client.StartTlsAsync(sni ?? "api.upstream.test", broker.BrokerCa.Validates);
        return client;
    }

    [Fact]
    public async Task RevokedToken_Gets407OnNextRequestInOpenTunnel()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var tunnel = await OpenTunnelAsync(broker);
        var first = await tunnel.SendAsync("GET", "/echo/1", [("Host", Authority)]);
        Assert.Equal(200, first.Status);

        broker.State.Publish(broker.State.Current.Config, []);
        var second = await tunnel.SendAsync("GET", "/echo/2", [("Host", Authority)]);

        Assert.Equal(407, second.Status);
        Assert.Equal("proxy_auth_required", second.Headers["X-Agent-Vault-Error"]);
        Assert.Equal("Basic realm=\"agent-vault\"", second.Headers["Proxy-Authenticate"]);
        Assert.DoesNotContain(fixture.Upstream.Received, r => r.EndsWith("/echo/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredToken_Gets407OnNextRequestInOpenTunnel()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        broker.State.Publish(broker.State.Current.Config, [ProxyHarness.AgentToken(expires: broker.Clock.GetUtcNow().AddMinutes(5))]);
        await using var tunnel = await OpenTunnelAsync(broker);
        Assert.Equal(200, (await tunnel.SendAsync("GET", "/echo/before", [("Host", Authority)])).Status);

        broker.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(407, (await tunnel.SendAsync("GET", "/echo/after", [("Host", Authority)])).Status);
    }

    [Fact]
    public async Task ProxyAuthorizationInsideTunnel_WinsOverConnectCredentials()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var tunnel = await OpenTunnelAsync(broker);

        var refused = await tunnel.SendAsync("GET", "/echo/inner", [("Host", Authority), ("Proxy-Authorization", RawProxyClient.Basic("avt_bad"))]);
        var accepted = await tunnel.SendAsync("GET", "/echo/inner", [("Host", Authority)]);

        Assert.Equal(407, refused.Status);
        Assert.Equal(200, accepted.Status);
    }

    [Fact]
    public async Task SpoofedHost_StillGoesToConnectDestination()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var tunnel = await OpenTunnelAsync(broker);

        var response = await tunnel.SendAsync("GET", "/echo/sni", [("Host", "evil.example.com")]);

        Assert.Equal(200, response.Status);
        using var echo = JsonDocument.Parse(response.Body);
        Assert.Equal(Authority, echo.RootElement.GetProperty("headers").GetProperty("host").GetString());
        var record = broker.RequestLog.Records.Last();
        Assert.Equal(("api.upstream.test", "api"), (record.Host, record.Service));
    }

    [Fact]
    public async Task SniNamingAnotherHost_FailsTheHandshake_AndMintsNoLeafForIt()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var connect = await client.ConnectAsync(Authority, RawProxyClient.Basic(ProxyHarness.Token, "dev"));
        Assert.Equal(200, connect.Status);

        var failure = await Record.ExceptionAsync(() => client.StartTlsAsync("evil.example.com", broker.BrokerCa.Validates));

        Assert.True(failure is System.Security.Authentication.AuthenticationException or IOException, $"handshake for another SNI: {failure}");
        Assert.DoesNotContain("evil.example.com", broker.Authority.Requested);
    }

    [Fact]
    public async Task ProxyHeadersAndAgentAuthorization_AreNotForwarded()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var tunnel = await OpenTunnelAsync(broker);

        var response = await tunnel.SendAsync("GET", "/echo/hop", [
            ("Host", Authority), ("Proxy-Authorization", RawProxyClient.Basic(ProxyHarness.Token, "dev")), ("Proxy-Foo", "x"),
            ("X-Kept", "yes"), ("Authorization", "Bearer agent-guess")]);

        using var echo = JsonDocument.Parse(response.Body);
        var headers = echo.RootElement.GetProperty("headers");
        Assert.False(headers.TryGetProperty("proxy-authorization", out _));
        Assert.False(headers.TryGetProperty("proxy-foo", out _));
        Assert.Equal("yes", headers.GetProperty("x-kept").GetString());
        Assert.Equal("Bearer " + ProxyHarness.Secret, headers.GetProperty("authorization").GetString());
    }
}
