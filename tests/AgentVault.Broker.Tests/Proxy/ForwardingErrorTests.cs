using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Errors the broker answers itself once the request is routed: each with its status, code and no secret.</summary>
public sealed class ForwardingErrorTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private static ConfigDocument WithServices(params ServiceDefinition[] services) => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Credentials = new() { ["API_KEY"] = new CredentialDefinition { Ref = "local:api" }, ["MISSING"] = new CredentialDefinition { Ref = "local:missing" } },
                Services = [.. services],
            },
        ],
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
    };

    private static ServiceDefinition Service(string name, string host, string key = "API_KEY", bool enabled = true) => new()
    {
        Name = name,
        Host = host,
        Enabled = enabled,
        Auth = new() { ["type"] = "bearer", ["token"] = key },
    };

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(code, Assert.Single(response.Headers.GetValues("X-Agent-Vault-Error")));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ProxyHarness.Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialUnavailable_Returns502AndNothingIsForwarded()
    {
        var port = fixture.Upstream.Port;
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"api.upstream.test:{port}", key: "MISSING")));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/never-sent-credential"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "credential_unavailable", "MISSING");
        Assert.DoesNotContain(fixture.Upstream.Received, r => r.Contains("never-sent-credential", StringComparison.Ordinal));
        Assert.Equal("credential_unavailable", broker.RequestLog.Records.Last().Error);
    }

    [Fact]
    public async Task DisabledService_Returns403ServiceDisabled()
    {
        var port = fixture.Upstream.Port;
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"api.upstream.test:{port}", enabled: false)));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/disabled"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "service_disabled", "'api'");
    }

    [Fact]
    public async Task PathOutsideEveryService_Returns403HostNotAllowedInsideTunnel()
    {
        var port = fixture.Upstream.Port;
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"api.upstream.test:{port}/echo/allowed/**")));
        using var client = broker.CreateClient();
        using var allowed = await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/allowed/x"));
        using var refused = await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/elsewhere"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "host_not_allowed", "Vault 'dev' has no service for api.upstream.test");
    }

    [Fact]
    public async Task ClosedPort_Returns502UpstreamUnreachable()
    {
        var closed = FreePort();
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"closed.upstream.test:{closed}")));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"https://closed.upstream.test:{closed}/x"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "upstream_unreachable");
    }

    [Fact]
    public async Task UntrustedUpstreamCertificate_Returns502TlsError()
    {
        using var otherCa = new TestCertificateAuthority("Not Trusted CA");
        await using var untrusted = await TestUpstream.StartAsync(otherCa, ["untrusted.upstream.test"]);
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"untrusted.upstream.test:{untrusted.Port}")));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri(untrusted.BaseUri("untrusted.upstream.test"), "/echo/x"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "upstream_tls_error");
        Assert.Empty(untrusted.Received);
    }

    [Fact]
    public async Task CertificateForAnotherName_Returns502TlsError()
    {
        // The upstream's certificate covers *.upstream.test, not the name pinned here.
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"closed.example.test:{fixture.Upstream.Port}")),
            o => o.Resolve["closed.example.test"] = IPAddress.Loopback);
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"https://closed.example.test:{fixture.Upstream.Port}/echo/x"));

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "upstream_tls_error");
    }

    [Fact]
    public async Task SlowUpstream_Returns504UpstreamTimeout()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port),
            o => o.UpstreamTimeout = TimeSpan.FromMilliseconds(300));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/slow?ms=20000"));

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
    }

    [Fact]
    public async Task BodyOverLimit_Returns413BeforeForwarding()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port),
            o => o.MaxRequestBodyBytes = 1024);
        using var client = broker.CreateClient();
        using var response = await client.PostAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/too-large"), new ByteArrayContent(new byte[4096]));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.DoesNotContain(fixture.Upstream.Received, r => r.Contains("too-large", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("private.upstream.test")]
    [InlineData("metadata.upstream.test")]
    public async Task NameResolvingToBlockedRange_Returns403DestinationBlocked(string host)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, WithServices(Service("api", $"{host}:443")));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"https://{host}/x"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "destination_blocked", host);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
