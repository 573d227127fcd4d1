using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Redaction of streams and compressed answers through the real broker: an SSE event reaches the agent while the
/// upstream still holds the rest of a secret it split across flushes; a gzip answer the agent asked for reaches it decoded
/// and redacted (more ways around redaction in <see cref="RedactionBypassTests"/>).
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class RedactionStreamingTests(PolicyFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task SseEvent_ArrivesWhileTheSecretIsSplitAcrossAHeldFlush_AndTheSecretNever(string version)
    {
        var gate = Guid.NewGuid().ToString("N");
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"), version: Version.Parse(version));
        using var deadline = new CancellationTokenSource(Deadline);
        using var response = await client.GetAsync(fixture.Url("bearer-on", "/sse-gated/" + gate + "?src=auth"),
            HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        var received = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            // The first event must arrive although the upstream is waiting in the middle of the secret.
            while (!received.ToString().Contains("data: first\n\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                Assert.True(read > 0, "the stream ended early: " + received);
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        finally
        {
            fixture.Endpoints.Gates.Release(gate);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        received.Append(await reader.ReadToEndAsync(deadline.Token));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("data: first\n\ndata: Bearer [REDACTED]\n\n", received.ToString());
    }

    [Theory]
    [InlineData("on")]
    [InlineData("strict")]
    public async Task GzipAnswerTheAgentAskedFor_ArrivesDecodedAndRedacted(string mode)
    {
        var answer = await GetAsync($"bearer-{mode}", "/gzip?src=auth");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.ContentEncoding);
        Assert.Equal("echo:Bearer [REDACTED];", Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public async Task RedactOff_PassesTheGzipAnswer()
    {
        // Shows the upstream really compresses when the agent asks, so the test above can fail.
        var answer = await GetAsync("bearer-off", "/gzip?src=auth");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("gzip", answer.ContentEncoding);
    }

    [Theory]
    [InlineData("on", "--http1.1")]
    [InlineData("on", "--http2")]
    [InlineData("strict", "--http1.1")]
    [InlineData("strict", "--http2")]
    public async Task CurlCompressed_GetsARedactedPlainBody(string mode, string http)
    {
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("leaker"),
            [.. CurlResponse.Arguments, http, "--compressed", fixture.Url($"bearer-{mode}", "/gzip?src=auth")]));

        Assert.True(response.Status == 200, response.ToString());
        Assert.Null(response.Header("Content-Encoding"));
        Assert.Equal("echo:Bearer [REDACTED];", response.Body.TrimEnd('\n'));
    }

    private async Task<(HttpStatusCode Status, string? ContentEncoding, string? ContentType, byte[] Body)> GetAsync(string host, string pathAndQuery)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"));
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Url(host, pathAndQuery));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentEncoding.SingleOrDefault(), response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsByteArrayAsync());
    }
}
