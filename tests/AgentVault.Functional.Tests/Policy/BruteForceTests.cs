using System.Globalization;
using System.Net;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// An attacker on 127.0.0.1 hammering the proxy with bad tokens is slowed down (429 with Retry-After instead of 407) per
/// token (10 a minute) and per address (30 a minute), while a valid agent behind the same address keeps working — many
/// sandboxes share one NAT address. Each test starts its own broker: the throttle state is the broker's.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class BruteForceTests(PolicyFixture fixture)
{
    // The buckets refill while the attack runs (one token per 6 s, one address failure per 2 s), so the tests assert
    // what holds whatever the pace: nothing is throttled before its limit, the throttle does set in, and the valid agent
    // is never refused.
    [Fact]
    public async Task BadTokenHammering_IsThrottled_ButAValidTokenFromTheSameAddressWorks()
    {
        await using var broker = await StartBrokerAsync();
        var tokens = await broker.ApplyAndGetTokensAsync(Config);
        var url = $"https://api.upstream.test:{fixture.Upstream.Port}/bruteforce";

        // One token tried again and again: refused with 407 ten times, then throttled.
        var sameToken = await HammerAsync(broker, url, _ => "avt_guess-one", max: 30);
        // Many different tokens from the same address: throttled once the address has failed 30 times.
        var manyTokens = await HammerAsync(broker, url, i => "avt_guess-" + i.ToString(CultureInfo.InvariantCulture), max: 80);

        // The address is throttled now, and a valid agent behind it still gets through (curl and HttpClient, new tunnels).
        var valid = CurlResponse.Parse(await broker.CurlAsync(tokens["claude"], [.. CurlResponse.Arguments, url]));
        using var client = broker.CreateClient(tokens["claude"], version: HttpVersion.Version20);
        using var viaHttpClient = await client.GetAsync(url);
        // ... and its success did not reset the attacker's throttle (a reset would allow 30 more failures).
        var afterwards = await HammerAsync(broker, url, i => "avt_after-" + i.ToString(CultureInfo.InvariantCulture), max: 15);

        Assert.True(sameToken.Count >= 11, "throttled before 10 failures of one token");
        Assert.True(sameToken.Count + manyTokens.Count >= 31, "throttled before 30 failures from one address");
        Assert.True(valid.Status == 200, valid.ToString());
        Assert.Equal(HttpStatusCode.OK, viaHttpClient.StatusCode);
        foreach (var answer in sameToken.Concat(manyTokens).Concat(afterwards))
        {
            Assert.DoesNotContain("avt_", answer.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ThrottledAddress_StillServesAValidTokenInsideAnOpenTunnelAndOnNewOnes()
    {
        await using var broker = await StartBrokerAsync();
        var tokens = await broker.ApplyAndGetTokensAsync(Config);
        var url = $"https://api.upstream.test:{fixture.Upstream.Port}/tunnel";
        using var client = broker.CreateClient(tokens["claude"]);
        using (var before = await client.GetAsync(url + "/before"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await HammerAsync(broker, url, i => "avt_flood-" + i.ToString(CultureInfo.InvariantCulture), max: 80);

        using var sameConnection = await client.GetAsync(url + "/same-tunnel");
        using var freshClient = broker.CreateClient(tokens["claude"]);
        using var newConnection = await freshClient.GetAsync(url + "/new-tunnel");
        Assert.Equal(HttpStatusCode.OK, sameConnection.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newConnection.StatusCode);
    }

    private const string Config = """
        vaults:
          - name: dev
            credentials: { API_KEY: "local:api" }
            services:
              - name: api
                host: "api.upstream.test:*"
                auth: { type: bearer, token: API_KEY }
        agents:
          - name: claude
            vaults: [dev]
        """;

    private async Task<BrokerEnvironment> StartBrokerAsync()
    {
        var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { Hosts = ["api.upstream.test"], MoreUpstreamCaFiles = [fixture.UpstreamCa.PemPath] });
        await broker.PutSecretsAsync(("api", PolicyFixture.Secret));
        return broker;
    }

    /// <summary>
    /// CONNECTs with bad tokens until the broker throttles (or <paramref name="max"/> attempts); every answer before the
    /// last is a 407, the last a 429 with Retry-After. Returns all answers.
    /// </summary>
    private static async Task<List<ConnectAnswer>> HammerAsync(BrokerEnvironment broker, string url, Func<int, string> token, int max)
    {
        var answers = new List<ConnectAnswer>();
        for (var i = 0; i < max; i++)
        {
            var answer = await ConnectAsync(broker, token(i), url);
            answers.Add(answer);
            if (answer.Status != 407)
            {
                AssertThrottled(answer);
                return answers;
            }

            Assert.Contains("x-agent-vault-error: proxy_auth_required", answer.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Fail($"no 429 after {max} failed authentications");
        return answers;
    }

    private static void AssertThrottled(ConnectAnswer answer)
    {
        Assert.True(answer.Status == 429, answer.ToString());
        Assert.Contains("x-agent-vault-error: rate_limited", answer.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Matches("(?im)^retry-after: [1-9][0-9]*$", answer.ToString());
    }

    /// <summary>curl's CONNECT with <paramref name="token"/>: the proxy's answer to the CONNECT (status and head as printed).</summary>
    private static async Task<ConnectAnswer> ConnectAsync(BrokerEnvironment broker, string token, string url)
    {
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "--max-time", "30", "--proxy", broker.Process.ProxyUri.AbsoluteUri, "--proxy-user", token + ":dev",
            "--cacert", broker.CaPath, "-D", "-", "-o", "/dev/null", "-w", "\n%{http_connect}", url]);
        var output = result.StdOut.TrimEnd('\n');
        var status = int.Parse(output[(output.LastIndexOf('\n') + 1)..], CultureInfo.InvariantCulture);
        return new ConnectAnswer(status, result.StdOut + result.StdErr);
    }

    private readonly record struct ConnectAnswer(int Status, string Raw);
}
