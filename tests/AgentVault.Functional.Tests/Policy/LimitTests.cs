using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Rate and concurrency limits of the real broker: a service <c>rate_limit</c> shared by all agents, an agent's own
/// <c>rate_limit</c> and <c>max_in_flight</c>; refusals are 429 <c>rate_limited</c> problems with <c>Retry-After</c>.
/// Requests are held open by an upstream that answers only when the test releases it (no sleeps, no timing).
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class LimitTests(PolicyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ServiceRateLimit_RefusesEveryAgentOnceSpent_WithRetryAfter()
    {
        // limited: rate_limit 2/min, shared by the vault's agents.
        using var claude = fixture.Broker.CreateClient(fixture.Token("claude"));
        using var other = fixture.Broker.CreateClient(fixture.Token("other"));

        using var first = await claude.GetAsync(fixture.Url("limited", "/one"));
        using var second = await other.GetAsync(fixture.Url("limited", "/two"));
        using var third = await claude.GetAsync(fixture.Url("limited", "/three"));
        using var fourth = await other.GetAsync(fixture.Url("limited", "/four"));
        using var elsewhere = await other.GetAsync(fixture.Url("slots", "/not-limited"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await AssertRateLimitedAsync(third, "service rate", maxRetryAfterSeconds: 30);
        await AssertRateLimitedAsync(fourth, "service rate", maxRetryAfterSeconds: 30);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.False(fixture.Upstream.Saw("/three"));
        Assert.False(fixture.Upstream.Saw("/four"));
    }

    [Fact]
    public async Task AgentRateLimit_RefusesThatAgentOnly()
    {
        // slowpoke: rate_limit 3/min (a bucket of 3); other: server defaults.
        using var slowpoke = fixture.Broker.CreateClient(fixture.Token("slowpoke"));
        using var other = fixture.Broker.CreateClient(fixture.Token("other"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await slowpoke.GetAsync(fixture.Url("slots", "/slowpoke/" + i));
            statuses.Add(response.StatusCode);
        }

        using var refused = await slowpoke.GetAsync(fixture.Url("slots", "/slowpoke/again"));
        using var unaffected = await other.GetAsync(fixture.Url("slots", "/other/fine"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await AssertRateLimitedAsync(refused, "agent rate", maxRetryAfterSeconds: 20);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task InFlightCap_RefusesTheRequestBeyondIt_UntilOneFinishes(string version)
    {
        // narrow: max_in_flight 2. Two requests are held at the upstream; the third is refused at once.
        using var client = fixture.Broker.CreateClient(fixture.Token("narrow"), version: Version.Parse(version));
        var a = "a-" + Guid.NewGuid().ToString("N");
        var b = "b-" + Guid.NewGuid().ToString("N");
        var held = new[] { client.GetAsync(fixture.Url("slots", "/hold/" + a)), client.GetAsync(fixture.Url("slots", "/hold/" + b)) };
        try
        {
            await fixture.Endpoints.Gates.ArrivedAsync(a, Deadline);
            await fixture.Endpoints.Gates.ArrivedAsync(b, Deadline);

            using (var refused = await client.GetAsync(fixture.Url("slots", "/beyond-the-cap")))
            {
                await AssertRateLimitedAsync(refused, "agent concurrency", maxRetryAfterSeconds: 5);
            }

            using (var otherAgent = fixture.Broker.CreateClient(fixture.Token("other")))
            using (var fine = await otherAgent.GetAsync(fixture.Url("slots", "/other-agent-unaffected")))
            {
                Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
            }
        }
        finally
        {
            fixture.Endpoints.Gates.Release(a);
            fixture.Endpoints.Gates.Release(b);
        }

        foreach (var response in await Task.WhenAll(held))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.False(fixture.Upstream.Saw("/beyond-the-cap"));
        Assert.Equal(HttpStatusCode.OK, await StatusOnceFreedAsync(client, "/after-release"));
    }

    [Fact]
    public async Task OpenWebSocket_HoldsAnInFlightSlotUntilClosed()
    {
        // socket: max_in_flight 1. While its WebSocket is open, its other requests are refused.
        var token = fixture.Token("socket");
        using var invoker = fixture.Broker.CreateClient(token);
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new Uri($"wss://slots.upstream.test:{fixture.Upstream.Port}/ws"), invoker, deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[64];
        var echoed = await socket.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal("echo:ping", Encoding.UTF8.GetString(buffer, 0, echoed.Count));

        using (var client = fixture.Broker.CreateClient(token))
        using (var refused = await client.GetAsync(fixture.Url("slots", "/while-socket-open")))
        {
            await AssertRateLimitedAsync(refused, "agent concurrency", maxRetryAfterSeconds: 5);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
        using var after = fixture.Broker.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, await StatusOnceFreedAsync(after, "/after-socket-closed"));
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, string limit, int maxRetryAfterSeconds)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode} {body}");
        Assert.Equal("rate_limited", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.True(retryAfter is >= 1 && retryAfter <= maxRetryAfterSeconds, $"Retry-After {response.Headers.RetryAfter}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("rate_limited", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(limit, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    // The slot is given back when the broker has finished the request, which may be a moment after the client got its
    // answer: poll (with a deadline) until a new request is no longer refused for concurrency.
    private async Task<HttpStatusCode> StatusOnceFreedAsync(HttpClient client, string path)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var response = await client.GetAsync(fixture.Url("slots", path));
            if (response.StatusCode != HttpStatusCode.TooManyRequests || DateTime.UtcNow > until)
            {
                return response.StatusCode;
            }

            await Task.Delay(100);
        }
    }
}
