using System.Net;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// The retry after an upstream 401 (UnauthorizedRetryHandler under YARP's invoker): once, only for requests that are safe to
/// send twice, and never passing on a 401 when the refreshed credential cannot be applied.
/// </summary>
public sealed class UnauthorizedRetryTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private Uri Upstream(string path) => new(fixture.Upstream.BaseUri(), path);

    [Fact]
    public async Task Upstream401Again_AfterTheRetry_IsPassedOnWithoutASecondRetry()
    {
        await using var broker = await StartAsync(failAfterRefresh: false);
        using var client = broker.CreateClient();

        using var response = await client.GetAsync(Upstream("/status/401"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, broker.TestScheme.UnauthorizedCalls);
    }

    [Fact]
    public async Task Upstream401_ToARequestWithABody_IsNotRetried()
    {
        await using var broker = await StartAsync(failAfterRefresh: false);
        using var client = broker.CreateClient();

        using var response = await client.PostAsync(Upstream("/status/401"), new StringContent("upload"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, broker.TestScheme.UnauthorizedCalls);
    }

    [Fact]
    public async Task Upstream401_WhenTheRefreshedCredentialCannotBeApplied_Answers502CredentialUnavailable()
    {
        await using var broker = await StartAsync(failAfterRefresh: true);
        using var client = broker.CreateClient();

        using var response = await client.GetAsync(Upstream("/status/401"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("credential_unavailable", Assert.Single(response.Headers.GetValues("X-Agent-Vault-Error")));
        Assert.Equal(1, broker.TestScheme.UnauthorizedCalls);
    }

    private Task<ProxyHarness> StartAsync(bool failAfterRefresh)
    {
        var config = ProxyHarness.DefaultConfig(fixture.Upstream.Port);
        var auth = config.Vaults![0].Services![0].Auth!;
        auth["refresh_on_401"] = "true";
        auth["fail_after_refresh"] = failAfterRefresh ? "true" : "false";
        return ProxyHarness.StartAsync(fixture.UpstreamCa, config);
    }
}
