using System.Net;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>The response size limit: a declared length over it is a 502 problem, a body growing past it is cut off visibly.</summary>
public sealed class ResponseLimitTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private const long Limit = 200_000;

    public static TheoryData<string> Versions => new() { "1.1", "2.0" };

    private Uri Upstream(string path) => new(fixture.Upstream.BaseUri(), path);

    private Task<ProxyHarness> StartAsync() =>
        ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port), o => o.MaxResponseBodyBytes = Limit);

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task DeclaredLengthOverTheLimit_Is502ResponseTooLarge(string version)
    {
        await using var broker = await StartAsync();
        using var client = broker.CreateClient(version: Version.Parse(version));
        using var response = await client.GetAsync(Upstream($"/large?bytes={Limit + 1}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("response_too_large", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Contains("\"code\":\"response_too_large\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var record = await WaitForRecordAsync(broker);
        Assert.Equal("response_too_large", record.Error);
        Assert.Equal(502, record.Status);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task ChunkedBodyGrowingPastTheLimit_IsCutOffSoTheAgentSeesAnError(string version)
    {
        await using var broker = await StartAsync();
        using var client = broker.CreateClient(version: Version.Parse(version));
        using var response = await client.GetAsync(Upstream($"/large?bytes={Limit * 4}&chunked=1"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();

        // HTTP/1.1: the connection closes without the terminating chunk; HTTP/2: the stream is reset. Either way reading fails.
        var received = 0L;
        var error = await Record.ExceptionAsync(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.True(error is IOException or HttpRequestException, $"expected a broken body, got {error?.GetType().Name ?? "a complete body"} after {received} bytes");
        Assert.True(received <= Limit, $"{received} bytes reached the agent; the limit is {Limit}");
        var record = await WaitForRecordAsync(broker);
        Assert.Equal("response_too_large", record.Error);
        Assert.Contains(broker.Logs.Lines, l => l.Contains("response_too_large", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Limit, "")]
    [InlineData(Limit, "&chunked=1")]
    [InlineData(Limit - 1, "&chunked=1")]
    public async Task BodyUpToTheLimit_PassesIntactAndIsCounted(long bytes, string chunked)
    {
        await using var broker = await StartAsync();
        using var client = broker.CreateClient();

        var body = await client.GetByteArrayAsync(Upstream($"/large?bytes={bytes}{chunked}"));

        Assert.Equal(bytes, body.Length);
        var record = await WaitForRecordAsync(broker);
        Assert.Null(record.Error);
        Assert.Equal(bytes, record.BytesOut);
    }

    [Fact]
    public async Task HeadWithADeclaredLengthOverTheLimit_IsNotRefused()
    {
        await using var broker = await StartAsync();
        using var client = broker.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Upstream($"/large?bytes={Limit * 10}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Limit * 10, response.Content.Headers.ContentLength);
    }

    internal static async Task<RequestLogRecord> WaitForRecordAsync(ProxyHarness broker, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (broker.RequestLog.Records.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "no request-log record within 30 s");
            await Task.Delay(10);
        }

        return broker.RequestLog.Records.ElementAt(count - 1);
    }
}
