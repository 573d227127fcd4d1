using System.Net;
using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// The server-wide agent limits (<c>--agent-rate-limit</c>, <c>--agent-max-in-flight</c>, or their AGENT_VAULT_*
/// variables) apply to agents without their own, and an agent's own <c>rate_limit</c>/<c>max_in_flight</c> wins.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class ServerDefaultLimitTests(PolicyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const string Config = """
        vaults:
          - name: dev
            credentials: { API_KEY: "local:api" }
            services:
              - name: api
                host: "api.upstream.test:*"
                auth: { type: bearer, token: API_KEY }
        agents:
          - name: plain
            vaults: [dev]
          - name: roomy
            vaults: [dev]
            rate_limit: 100/s
            max_in_flight: 5
        """;

    [Theory]
    [InlineData("flags")]
    [InlineData("environment")]
    public async Task ServerDefaults_LimitAgentsWithoutTheirOwn(string how)
    {
        string[] flags = ["--agent-rate-limit", "2/min", "--agent-max-in-flight", "1"];
        var environment = new Dictionary<string, string?> { ["AGENT_VAULT_AGENT_RATE_LIMIT"] = "2/min", ["AGENT_VAULT_AGENT_MAX_IN_FLIGHT"] = "1" };
        await using var broker = how == "flags"
            ? await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { Hosts = ["api.upstream.test"], MoreUpstreamCaFiles = [fixture.UpstreamCa.PemPath], Arguments = flags })
            : await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { Hosts = ["api.upstream.test"], MoreUpstreamCaFiles = [fixture.UpstreamCa.PemPath], Environment = environment });
        await broker.PutSecretsAsync(("api", PolicyFixture.Secret));
        var tokens = await broker.ApplyAndGetTokensAsync(Config);
        // HTTP/2: the request refused while one is held shares the first tunnel. Over HTTP/1.1 HttpClient would open a
        // second tunnel for it, and that CONNECT takes a token of the agent's rate too (docs/policy.md).
        using var plain = broker.CreateClient(tokens["plain"], version: HttpVersion.Version20);
        using var roomy = broker.CreateClient(tokens["roomy"]);
        var url = $"https://api.upstream.test:{fixture.Upstream.Port}";
        var gate = "plain-" + Guid.NewGuid().ToString("N");
        var roomyGates = new[] { "roomy-a-" + Guid.NewGuid().ToString("N"), "roomy-b-" + Guid.NewGuid().ToString("N") };

        var held = plain.GetAsync($"{url}/hold/{gate}");
        var roomyHeld = roomyGates.Select(g => roomy.GetAsync($"{url}/hold/{g}")).ToArray();
        HttpResponseMessage beyondCap;
        try
        {
            await fixture.Endpoints.Gates.ArrivedAsync(gate, Deadline);
            beyondCap = await plain.GetAsync($"{url}/second-while-held");
            foreach (var roomyGate in roomyGates)
            {
                // The agent's own max_in_flight (5) wins over the server's 1: both of its requests reach the upstream.
                await fixture.Endpoints.Gates.ArrivedAsync(roomyGate, Deadline);
            }
        }
        finally
        {
            fixture.Endpoints.Gates.Release(gate);
            Array.ForEach(roomyGates, fixture.Endpoints.Gates.Release);
        }

        using (beyondCap)
        using (var first = await held)
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("agent concurrency", await DetailAsync(beyondCap));
        }

        foreach (var response in await Task.WhenAll(roomyHeld))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // The rate: a bucket of 2 a minute; the held request took one, the refused one none.
        using var second = await SendOnceFreedAsync(plain, $"{url}/second");
        using var third = await plain.GetAsync($"{url}/third");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("agent rate", await DetailAsync(third));
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limited", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        return detail.Contains("agent concurrency", StringComparison.Ordinal) ? "agent concurrency"
            : detail.Contains("agent rate", StringComparison.Ordinal) ? "agent rate" : detail;
    }

    // The in-flight slot is given back just after the client got its answer: poll (with a deadline) past concurrency refusals.
    private static async Task<HttpResponseMessage> SendOnceFreedAsync(HttpClient client, string url)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || DateTime.UtcNow > until ||
                !(await response.Content.ReadAsStringAsync()).Contains("agent concurrency", StringComparison.Ordinal))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }
}
