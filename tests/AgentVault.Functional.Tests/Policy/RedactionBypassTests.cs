using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Ways around response redaction, through the real broker: a compressed body (gzip, deflate, br) is decoded and redacted
/// and reaches the agent without <c>Content-Encoding</c>; the agent cannot make the upstream use a coding the broker
/// cannot decode, and an upstream that does anyway is refused; under <c>strict</c> no byte range reaches the upstream
/// (4-byte slices would each pass redaction and reassemble the secret); a secret in a response trailer — HTTP/2 or
/// HTTP/1.1 chunked — is redacted. Each has a <c>redact: off</c> (or documented <c>on</c>) counterpart that lets it through,
/// so the upstream really does what the test says.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class RedactionBypassTests(PolicyFixture fixture)
{
    private const string Redacted = "echo:Bearer [REDACTED];";

    [Theory]
    [InlineData("on", "gzip")]
    [InlineData("on", "br")]
    [InlineData("on", "deflate")]
    [InlineData("on", "gzip,br")]
    [InlineData("strict", "gzip")]
    [InlineData("strict", "br")]
    [InlineData("strict", "deflate")]
    public async Task CompressedAnswer_ReachesTheAgentDecodedAndRedacted(string mode, string codings)
    {
        var answer = await SendAsync($"bearer-{mode}", $"/encoded/{codings}?src=auth", "gzip, deflate, br");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Null(answer.Header("Content-Encoding"));
        Assert.Equal(Redacted, answer.Body);
    }

    [Theory]
    [InlineData("on")]
    [InlineData("strict")]
    public async Task AgentOfferingOnlyZstd_CannotMakeTheUpstreamUseIt(string mode)
    {
        // The upstream prefers zstd whenever it is offered (its "zstd" leaves the bytes readable, as a real one would for a client).
        var answer = await SendAsync($"bearer-{mode}", "/negotiate?src=auth", "zstd");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("identity", answer.Header("X-Seen-Accept-Encoding"));
        Assert.Null(answer.Header("Content-Encoding"));
        Assert.Equal(Redacted, answer.Body);
    }

    [Fact]
    public async Task RedactOff_PassesTheAgentsAcceptEncoding()
    {
        var answer = await SendAsync("bearer-off", "/negotiate?src=auth", "zstd");

        Assert.Equal("zstd", answer.Header("X-Seen-Accept-Encoding"));
        Assert.Equal("zstd", answer.Header("Content-Encoding"));
        Assert.Contains(PolicyFixture.Secret, answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("on", "zstd")]
    [InlineData("on", "gzip,zstd")]
    [InlineData("strict", "zstd")]
    [InlineData("strict", "compress")]
    public async Task TextAnswerInACodingTheBrokerCannotDecode_IsRefused(string mode, string codings)
    {
        var answer = await SendAsync($"bearer-{mode}", $"/encoded/{codings}?src=auth", "gzip");

        Assert.True(answer.Status == HttpStatusCode.BadGateway, answer.ToString());
        Assert.Equal("upstream_unreachable", answer.Header("X-Agent-Vault-Error"));
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Contains("cannot decode", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PolicyFixture.Secret, answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnMode_PassesABinaryBodyItDoesNotInspect()
    {
        // Documented limit of 'on' (docs/policy.md): binary bodies are not inspected, compressed or not. Strict inspects them.
        var on = await SendAsync("bearer-on", "/encoded/zstd?src=auth&type=application/octet-stream", "gzip");
        var strict = await SendAsync("bearer-strict", "/encoded/gzip?src=auth&type=application/octet-stream", "gzip");

        Assert.Equal(HttpStatusCode.OK, on.Status);
        Assert.Equal("zstd", on.Header("Content-Encoding"));
        Assert.Equal(HttpStatusCode.OK, strict.Status);
        Assert.Equal(Redacted, strict.Body);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task StrictMode_ByteRangesNeverReachTheUpstream(string version)
    {
        // Four bytes inside the secret: too short to match, so each slice would pass redaction and the agent could reassemble it.
        var headers = new Dictionary<string, string> { ["Range"] = "bytes=14-17", ["If-Range"] = "\"v1\"" };
        var strict = await SendAsync("bearer-strict", "/range?src=auth", null, headers, Version.Parse(version));
        var on = await SendAsync("bearer-on", "/range?src=auth", null, headers, Version.Parse(version));

        Assert.True(strict.Status == HttpStatusCode.OK, strict.ToString());
        Assert.Equal(string.Empty, strict.Header("X-Seen-Range"));
        Assert.Equal(Redacted, strict.Body);
        Assert.Equal(HttpStatusCode.PartialContent, on.Status); // 'on' passes ranges (documented); the upstream honours them
        Assert.Equal("bytes=14-17", on.Header("X-Seen-Range"));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("strict")]
    public async Task Http2UpstreamTrailer_WithTheSecret_IsRedacted(string mode)
    {
        var answer = await SendAsync($"bearer-{mode}", "/trailer?src=auth", null, version: HttpVersion.Version20);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("Bearer [REDACTED]", answer.Trailer("X-Echo"));
        Assert.DoesNotContain(PolicyFixture.Secret, answer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("on")]
    [InlineData("strict")]
    public async Task Http11ChunkedUpstreamTrailer_WithTheSecret_IsRedacted(string mode)
    {
        var answer = await SendToAsync(fixture.TrailerUrl(mode), null, version: HttpVersion.Version20);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("body without the value", answer.Body);
        Assert.Equal("Bearer [REDACTED]", answer.Trailer("X-Echo"));
        Assert.DoesNotContain(PolicyFixture.Secret, answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedactOff_PassesTrailers()
    {
        var h2 = await SendAsync("bearer-off", "/trailer?src=auth", null, version: HttpVersion.Version20);
        var h1 = await SendToAsync(fixture.TrailerUrl("off"), null, version: HttpVersion.Version20);

        Assert.Equal("Bearer " + PolicyFixture.Secret, h2.Trailer("X-Echo"));
        Assert.Equal("Bearer " + PolicyFixture.Secret, h1.Trailer("X-Echo"));
    }

    [Fact]
    public async Task CompressedBodyDecodingPastTheResponseLimit_IsCutOff()
    {
        // 260 MiB of text in about 1 MiB of gzip: decoded, it crosses the 256 MiB response limit, so the HTTP/2 stream is reset.
        var result = await fixture.Broker.CurlAsync(fixture.Token("leaker"),
            ["--http2", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", fixture.Url("bearer-on", "/bomb?mib=260")]);

        Assert.True(result.ExitCode == 92, result.ToString());
        var parts = result.StdOut.Trim().Split(' ');
        Assert.InRange(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 0, 256L * 1024 * 1024);
    }

    private Task<Answer> SendAsync(string host, string pathAndQuery, string? acceptEncoding, Dictionary<string, string>? headers = null, Version? version = null) =>
        SendToAsync(fixture.Url(host, pathAndQuery), acceptEncoding, headers, version);

    private async Task<Answer> SendToAsync(string url, string? acceptEncoding, Dictionary<string, string>? headers = null, Version? version = null)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"), version: version);
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version ?? HttpVersion.Version11 };
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        var head = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var trailers = response.TrailingHeaders.NonValidated.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, head, body, trailers);
    }

    private sealed record Answer(HttpStatusCode Status, Dictionary<string, string> Head, string Body, Dictionary<string, string> Trailers)
    {
        public string? Header(string name) => Head.GetValueOrDefault(name);

        public string? Trailer(string name) => Trailers.GetValueOrDefault(name);

        public override string ToString() =>
            $"{(int)Status}\n{string.Join('\n', Head.Select(h => h.Key + ": " + h.Value))}\n\n{Body}\n--\n{string.Join('\n', Trailers.Select(h => h.Key + ": " + h.Value))}";
    }
}
