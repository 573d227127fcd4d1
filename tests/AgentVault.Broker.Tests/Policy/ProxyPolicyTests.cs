using System.Net;
using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Broker.Tests.Proxy;

namespace AgentVault.Broker.Tests.Policy;

/// <summary>Egress policy through the real proxy pipeline (Kestrel, CONNECT, TLS, YARP) against the loopback echo upstream.</summary>
public sealed class ProxyPolicyTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private ConfigDocument Config(RulesDefinition? rules = null, string? rateLimit = null, string? redact = null) => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Credentials = new() { ["API_KEY"] = new CredentialDefinition { Ref = "local:api" } },
                Services =
                [
                    new ServiceDefinition
                    {
                        Name = "api",
                        Host = $"api.upstream.test:{fixture.Upstream.Port}",
                        Auth = new() { ["type"] = "bearer", ["token"] = "API_KEY" },
                        Rules = rules,
                        RateLimit = rateLimit,
                        Redact = redact,
                    },
                ],
            },
        ],
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
    };

    private Uri Url(string pathAndQuery) => new($"https://api.upstream.test:{fixture.Upstream.Port}{pathAndQuery}");

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-Agent-Vault-Error", out var values))
        {
            return null;
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("code").GetString() == values.Single() ? values.Single() : "mismatch";
    }

    [Theory]
    [InlineData("GET", "/echo/repos/a/b", null)]
    [InlineData("POST", "/echo/repos/a/b", "rule_denied")]
    [InlineData("GET", "/echo/repos/a/b/hooks", "rule_denied")]
    [InlineData("GET", "/echo/repos/a/b/%68ooks", "rule_denied")]
    [InlineData("GET", "/echo/repos/a/b/HOOKS/1", "rule_denied")]
    [InlineData("GET", "/echo/admin", "rule_denied")]
    public async Task Rules_AllowAndDenyThroughTheTunnel(string method, string path, string? error)
    {
        var rules = new RulesDefinition { Allow = ["GET /echo/repos/**"], Deny = ["* /echo/repos/*/*/hooks/**"] };
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(rules: rules, redact: "off"));
        using var client = broker.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Url(path)));

        Assert.Equal(error, await ErrorCodeAsync(response));
        Assert.Equal(error is null ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(error, broker.RequestLog.Records.Last().Error);
        Assert.Equal("api", broker.RequestLog.Records.Last().Service);
    }

    [Fact]
    public async Task ServiceRateLimit_Returns429WithRetryAfter()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(rateLimit: "2/min"));
        using var client = broker.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await client.GetAsync(Url("/echo/limited"));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("rate_limited", await ErrorCodeAsync(last!));
        Assert.InRange(last!.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal("rate_limited", broker.RequestLog.Records.Last().Error);
        Assert.Equal("api", broker.RequestLog.Records.Last().Service);
        last.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("strict")]
    public async Task EchoedCredential_IsRedactedButReachesTheUpstream(string? mode)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(redact: mode));
        using var client = broker.CreateClient();

        using var response = await client.GetAsync(Url("/echo/redact-me"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(ProxyHarness.Secret, body, StringComparison.Ordinal);
        Assert.Contains("Bearer [REDACTED]", body, StringComparison.Ordinal);
        Assert.True(broker.RequestLog.Records.Last().Redactions >= 1);
    }

    [Fact]
    public async Task RedactOff_LetsTheEchoThrough()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(redact: "off"));
        using var client = broker.CreateClient();

        var body = await client.GetStringAsync(Url("/echo/raw"));

        Assert.Contains("Bearer " + ProxyHarness.Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTokenHammering_IsThrottledButAValidTokenFromTheSameAddressWorks()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(redact: "off"));
        var statuses = new List<int>();
        for (var i = 0; i < 35; i++)
        {
            using var bad = broker.CreateClient(user: "avt_wrong-" + i);
            try
            {
                using var response = await bad.GetAsync(new Uri($"http://api.upstream.test:{fixture.Upstream.Port}/echo/x"));
                statuses.Add((int)response.StatusCode);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is { } code)
            {
                statuses.Add((int)code);
            }
        }

        using var good = broker.CreateClient();
        using var ok = await good.GetAsync(Url("/echo/still-works"));

        Assert.Contains(407, statuses);
        Assert.Equal(429, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task LockedToken_IsRefusedAtOnce_AndItsRepeatsDoNotThrottleItsNeighbours()
    {
        // One client stuck on a bad token behind a shared NAT: once the token is locked (10 failures), its repeats get 429
        // without using up the address's 30 failures, so another client's typo still gets a plain 407.
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(redact: "off"));
        var stuck = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            stuck.Add(await StatusAsync(broker, "avt_stuck"));
        }

        var neighbour = await StatusAsync(broker, "avt_typo");

        Assert.All(stuck.Take(10), s => Assert.Equal(407, s));
        Assert.Equal(429, stuck[10]);
        // (A lock lasts until the token's bucket refills one attempt, ~6 s: a very slow run may see a 407 in between.)
        Assert.True(stuck.Skip(10).Count(s => s == 429) >= 25, string.Join(',', stuck));
        Assert.Equal(407, neighbour);
    }

    private async Task<int> StatusAsync(ProxyHarness broker, string token)
    {
        using var client = broker.CreateClient(user: token);
        try
        {
            using var response = await client.GetAsync(new Uri($"http://api.upstream.test:{fixture.Upstream.Port}/echo/x"));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } code)
        {
            return (int)code;
        }
    }
}
