using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Under <c>redact: strict</c> nothing reaches the agent uninspected, and only WebSocket frames can be parsed: an upgrade
/// to any other protocol (HTTP/1.1 <c>Upgrade: spdy/3.1</c>, as kubectl exec sends, or an HTTP/2 extended CONNECT with
/// another <c>:protocol</c>) is refused with 403 <c>rule_denied</c> before the upstream is asked. Under <c>on</c> an HTTP/1.1
/// upgrade is forwarded, as documented (the forwarder sends no HTTP/2 extended CONNECT other than WebSocket in any mode).
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class UpgradeInspectionTests(PolicyFixture fixture)
{
    [Theory]
    [InlineData("strict", "1.1")]
    [InlineData("strict", "2.0")]
    [InlineData("on", "1.1")]
    public async Task NonWebSocketUpgrade_IsRefusedUnderStrictOnly(string mode, string version)
    {
        var marker = "upgrade-" + Guid.NewGuid().ToString("N");
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"), version: Version.Parse(version));
        using var request = version == "1.1"
            ? new HttpRequestMessage(HttpMethod.Get, fixture.Url($"bearer-{mode}", "/" + marker))
            : new HttpRequestMessage(HttpMethod.Connect, fixture.Url($"bearer-{mode}", "/" + marker));
        request.Version = Version.Parse(version);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        if (version == "1.1")
        {
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new ProductHeaderValue("spdy", "3.1"));
        }
        else
        {
            request.Headers.Protocol = "spdy";
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (mode == "strict")
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {body}");
            Assert.Equal("rule_denied", response.Headers.GetValues("X-Agent-Vault-Error").Single());
            using var problem = JsonDocument.Parse(body);
            Assert.Contains("strict", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.False(fixture.Upstream.Saw(marker));
            var record = await fixture.Broker.WaitForLogAsync(r => r.GetProperty("path").GetString() == "/" + marker, "the refused upgrade");
            Assert.Equal("rule_denied", record.GetProperty("error").GetString());
        }
        else
        {
            Assert.False(response.Headers.Contains("X-Agent-Vault-Error"), body);
            Assert.True(fixture.Upstream.Saw(marker), $"{(int)response.StatusCode} {body}");
        }
    }
}
