using System.Net;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// An upstream that answers before it has read the request body (a 401 or 413 to an upload is common): the agent must
/// get that answer. Regression: YARP reports the interrupted body copy after the response was copied, and the broker
/// replaced the upstream's answer with 502 <c>upstream_unreachable</c>. Regression: the forwarder cancelled its pending read of
/// the agent's body with a token, which left Kestrel's HTTP/1.1 body reader unable to drain the rest; Kestrel closed the
/// connection while the agent was still uploading and the agent saw a broken pipe instead of the answer.
/// </summary>
public sealed class EarlyResponseTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Theory]
    [InlineData(401, "1.1")]
    [InlineData(401, "2.0")]
    [InlineData(413, "2.0")]
    [InlineData(403, "2.0")]
    public async Task UpstreamAnswersWithoutReadingALargeBody_AgentGetsThatAnswer(int status, string version)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient(version: Version.Parse(version));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Upstream.BaseUri(), $"/status/{status}"))
        {
            Content = new ByteArrayContent(new byte[8 * 1024 * 1024]),
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };

        using var response = await client.SendAsync(request);

        Assert.True((HttpStatusCode)status == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.False(response.Headers.Contains("X-Agent-Vault-Error"));
        Assert.Equal(Version.Parse(version), response.Version);
    }

    [Fact]
    public async Task UpstreamAnswersWhileTheAgentIsMidUpload_AgentFinishesAndGetsTheAnswer()
    {
        // Deterministic form of the race above: the agent sends 64 KiB and waits until the broker has passed on the upstream's
        // answer (so the broker's read of the body was pending when the upstream answered), then sends the other 8 MiB.
        // HTTP/1.1, where the broken pipe showed (Kestrel closed the connection when its drain failed); HTTP/2 early
        // answers are covered by the theory above and with curl in the functional tests.
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Upstream.BaseUri(), "/status/401"))
        {
            Content = new PausedUploadContent(64 * 1024, 8 * 1024 * 1024 + 64 * 1024, cancellationToken => WaitForAnswerPassedOnAsync(broker, cancellationToken)),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Agent-Vault-Error"));
    }

    private static async Task WaitForAnswerPassedOnAsync(ProxyHarness broker, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!broker.Logs.Lines.Any(line => line.Contains("before reading the whole request body", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the broker did not pass on the upstream's early answer");
            await Task.Delay(20, cancellationToken);
        }
    }
}
