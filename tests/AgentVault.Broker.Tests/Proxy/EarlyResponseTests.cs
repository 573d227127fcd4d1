using System.Net;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// An upstream that answers before it has read the request body (a 401 or 413 to an upload is common): the agent must
/// get that answer. Regression: YARP reports the interrupted body copy after the response was copied, and the broker
/// replaced the upstream's answer with 502 <c>upstream_unreachable</c>.
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
        };

        using var response = await client.SendAsync(request);

        Assert.True((HttpStatusCode)status == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.False(response.Headers.Contains("X-Agent-Vault-Error"));
    }
}
