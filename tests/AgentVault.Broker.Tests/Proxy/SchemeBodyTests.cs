using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// A scheme that reads the request body to sign it, and may replace the content with a buffered copy (aws-sigv4 does
/// both). Regression: YARP refused either with a 502 <c>upstream_unreachable</c>, so no signed request with a body got through.
/// </summary>
public sealed class SchemeBodyTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private ConfigDocument Config(bool replace) => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Services =
                [
                    new ServiceDefinition
                    {
                        Name = "signed",
                        Host = $"api.upstream.test:{fixture.Upstream.Port}",
                        Auth = new() { ["type"] = "test-body-sign", ["replace"] = replace ? "true" : "false" },
                        Redact = "off",
                    },
                ],
            },
        ],
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
    };

    public static TheoryData<bool, string, string, int> Bodies => new()
    {
        { false, "POST", "application/json", 40 },
        { true, "POST", "application/json", 40 },
        { false, "PUT", "application/octet-stream", 300 * 1024 },
        { true, "PUT", "application/octet-stream", 300 * 1024 },
        { true, "POST", "application/x-www-form-urlencoded", 0 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task SchemeReadsOrReplacesTheBody_UpstreamGetsTheSameBytesItSigned(bool replace, string method, string contentType, int size)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(replace));
        using var client = broker.CreateClient();
        var text = string.Concat(Enumerable.Range(0, size).Select(i => (char)('a' + (i % 26))));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.Upstream.BaseUri(), "/echo/signed"))
        {
            Content = new StringContent(text, Encoding.UTF8, contentType),
        };
        request.Headers.TryAddWithoutValidation("x-body-sha256", "agent-sent-this");

        using var response = await client.SendAsync(request);
        var echo = await EchoResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text, echo.Body);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), echo.Header("x-body-sha256"));
        Assert.Equal(Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture), echo.Header("content-length"));
    }

    [Fact]
    public async Task SchemeOnRequestWithoutBody_StillSigns()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, Config(replace: true));
        using var client = broker.CreateClient();

        var echo = await EchoResponse.ReadAsync(await client.GetAsync(new Uri(fixture.Upstream.BaseUri(), "/echo/signed-get")));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), echo.Header("x-body-sha256"));
    }
}
