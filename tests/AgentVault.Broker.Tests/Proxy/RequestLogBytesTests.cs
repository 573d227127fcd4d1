using System.Net;
using System.Text;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>The request log's <c>bytes_in</c>/<c>bytes_out</c> are the body bytes actually moved, whatever the framing.</summary>
public sealed class RequestLogBytesTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private Uri Upstream(string path) => new(fixture.Upstream.BaseUri(), path);

    public static TheoryData<string, bool> Uploads => new()
    {
        { "1.1", false },
        { "1.1", true },
        { "2.0", false },
        { "2.0", true },
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task RequestBody_IsCountedWithOrWithoutContentLength(string version, bool chunked)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient(version: Version.Parse(version));
        var payload = new string('b', 150_001);
        using var request = new HttpRequestMessage(HttpMethod.Post, Upstream("/echo/upload"))
        {
            Content = new StringContent(payload, Encoding.ASCII, "text/plain"),
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await client.SendAsync(request);
        var echo = await EchoResponse.ReadAsync(response);
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(payload, echo.Body);

        var record = await ResponseLimitTests.WaitForRecordAsync(broker);
        Assert.Equal(payload.Length, record.BytesIn);
        Assert.Equal(answer.Length, record.BytesOut);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task ChunkedResponse_IsCounted(string version)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient(version: Version.Parse(version));

        var text = await client.GetStringAsync(Upstream("/chunked"));
        var large = await client.GetByteArrayAsync(Upstream("/large?bytes=300000&chunked=1"));

        Assert.Equal("part0;part1;part2;part3;part4;", text);
        Assert.Equal(300_000, large.Length);
        var first = await ResponseLimitTests.WaitForRecordAsync(broker);
        var second = await ResponseLimitTests.WaitForRecordAsync(broker, 2);
        Assert.Equal((0, text.Length), (first.BytesIn, first.BytesOut));
        Assert.Equal((0, 300_000), (second.BytesIn, second.BytesOut));
    }

    [Fact]
    public async Task RefusedRequest_CountsTheProblemBody()
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        using var client = broker.CreateClient();
        using var response = await client.GetAsync(new Uri($"http://api.upstream.test:{fixture.Upstream.Port}/echo/x"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var record = await ResponseLimitTests.WaitForRecordAsync(broker);
        Assert.Equal("insecure_upstream", record.Error);
        Assert.Equal(body.Length, record.BytesOut);
    }
}
