using System.Net;
using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Absolute-form requests (http:// and https:// targets without CONNECT) and the vault's unmatched policy.</summary>
public sealed class IngressTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Fact]
    public async Task AbsoluteFormHttps_IsForwardedOverTlsWithInjection()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var authority = $"api.upstream.test:{fixture.Upstream.Port}";
        var response = await client.SendAsync("GET", $"https://{authority}/echo/absolute?q=1", [
            ("Host", authority), ("Proxy-Authorization", RawProxyClient.Basic(ProxyHarness.Token, "dev"))]);

        Assert.Equal(200, response.Status);
        using var echo = JsonDocument.Parse(response.Body);
        Assert.Equal("/echo/absolute", echo.RootElement.GetProperty("path").GetString());
        Assert.Equal("Bearer " + ProxyHarness.Secret, echo.RootElement.GetProperty("headers").GetProperty("authorization").GetString());
    }

    [Fact]
    public async Task AbsoluteFormHttp_ToAnAllowHttpService_IsForwardedToPlainUpstream()
    {
        await using var plain = await TestUpstream.StartAsync(ca: null);
        var config = ProxyHarness.DefaultConfig(plain.Port);
        config.Vaults![0].Services![0] = config.Vaults[0].Services![0] with { AllowHttp = true };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"http://api.upstream.test:{plain.Port}/echo/plain"));

        var echo = await EchoResponse.ReadAsync(response);
        Assert.Equal("Bearer " + ProxyHarness.Secret, echo.Header("Authorization"));
        Assert.Null(echo.Header("Proxy-Authorization"));
    }

    [Fact]
    public async Task AbsoluteFormHttp_ToAnInjectingService_Returns403InsecureUpstream()
    {
        await using var plain = await TestUpstream.StartAsync(ca: null);
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(plain.Port));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"http://api.upstream.test:{plain.Port}/echo/plain"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("insecure_upstream", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.DoesNotContain(ProxyHarness.Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(plain.Received);
    }

    [Fact]
    public async Task AbsoluteFormWithoutCredentials_Returns407WithChallenge()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        await using var client = await RawProxyClient.ConnectAsync(broker.ProxyUri);
        var authority = $"api.upstream.test:{fixture.Upstream.Port}";
        var response = await client.SendAsync("GET", $"https://{authority}/echo/x", [("Host", authority)]);

        Assert.Equal(407, response.Status);
        Assert.Equal("Basic realm=\"agent-vault\"", response.Headers["Proxy-Authenticate"]);
        Assert.Equal("proxy_auth_required", response.Headers["X-Agent-Vault-Error"]);
    }

    [Fact]
    public async Task OriginFormRequestToTheProxy_Returns400()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(broker.ProxyUri, "/v1/anything"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", Assert.Single(response.Headers.GetValues("X-Agent-Vault-Error")));
    }

    [Fact]
    public async Task PassthroughVault_ForwardsUnmatchedHostWithoutInjecting()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port, unmatched: "passthrough"));
        using var client = broker.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://other.upstream.test:{fixture.Upstream.Port}/echo/pass"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer agents-own");
        using var response = await client.SendAsync(request);

        var echo = await EchoResponse.ReadAsync(response);
        Assert.Equal("Bearer agents-own", echo.Header("Authorization"));
        var record = broker.RequestLog.Records.Last();
        Assert.Null(record.Service);
        Assert.Empty(record.Credentials);
    }

    [Fact]
    public async Task WildcardAndExactServices_ExactWins()
    {
        var port = fixture.Upstream.Port;
        var config = new ConfigDocument
        {
            Vaults =
            [
                new VaultDefinition
                {
                    Name = "dev",
                    Credentials = new() { ["WILD"] = new CredentialDefinition { Ref = "local:w" }, ["EXACT"] = new CredentialDefinition { Ref = "local:e" } },
                    Services =
                    [
                        new ServiceDefinition { Name = "wild", Host = "*.upstream.test:*", Auth = new() { ["type"] = "bearer", ["token"] = "WILD" }, Redact = "off" },
                        new ServiceDefinition { Name = "exact", Host = $"api.upstream.test:{port}", Auth = new() { ["type"] = "bearer", ["token"] = "EXACT" }, Redact = "off" },
                    ],
                },
            ],
            Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
        };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, config);
        broker.Credentials.Values["dev/WILD"] = "wild-secret";
        broker.Credentials.Values["dev/EXACT"] = "exact-secret";
        using var client = broker.CreateClient();

        var exact = await EchoResponse.ReadAsync(await client.GetAsync(new Uri($"https://api.upstream.test:{port}/echo/e")));
        var wild = await EchoResponse.ReadAsync(await client.GetAsync(new Uri($"https://other.upstream.test:{port}/echo/w")));

        Assert.Equal("Bearer exact-secret", exact.Header("Authorization"));
        Assert.Equal("Bearer wild-secret", wild.Header("Authorization"));
    }
}
