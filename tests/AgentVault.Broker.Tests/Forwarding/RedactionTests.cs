using System.Net;
using System.Text;
using System.Text.Json;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Tests.Forwarding;

public sealed class RedactionTests
{
    private const string Secret = "sk_live_51H\"x/y+z&ä";
    private const string User = "alice";
    private static readonly string BasicForm = Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Secret));

    private static Redactor NewRedactor() => new([Secret, BasicForm]);

    /// <summary>Forms of the secret an echoing upstream may send back.</summary>
    public static TheoryData<string, string> Echoes => new()
    {
        { "plain", $"token={Secret};" },
        { "json", JsonSerializer.Serialize(new { authorization = "Bearer " + Secret }) },
        { "json-strict", JsonSerializer.Serialize(new { v = Secret }, new JsonSerializerOptions()) },
        { "url", "https://x.test/cb?token=" + Uri.EscapeDataString(Secret) },
        { "url-lower", "q=" + Uri.EscapeDataString(Secret).ToLowerInvariant().Replace("sk_live_51h", "sk_live_51H", StringComparison.Ordinal) },
        { "form", "token=" + WebUtility.UrlEncode(Secret) },
        { "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)) },
        { "base64url", Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        { "base64-embedded-1", Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + Secret + "tail")) },
        { "base64-embedded-2", Convert.ToBase64String(Encoding.UTF8.GetBytes("xy" + Secret + "tail")) },
        { "basic", "Authorization: Basic " + BasicForm },
        { "xml", "<token>" + WebUtility.HtmlEncode(Secret) + "</token>" },
        { "xml-apos", "<token>" + System.Security.SecurityElement.Escape(Secret) + "</token>" },
        // What a substitution put into a query or form body is the URL-encoded value; an upstream may encode that again.
        { "url-encoded-twice", "echo=" + Uri.EscapeDataString("k=" + Uri.EscapeDataString(Secret)) },
        { "base64-of-url-encoded", Convert.ToBase64String(Encoding.UTF8.GetBytes("?k=" + Uri.EscapeDataString(Secret) + "&n=1")) },
        { "sse", $"event: echo\ndata: {{\"k\":\"{Secret.Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}\n\n" },
    };

    private static async Task<string> StreamAsync(string body, int chunk)
    {
        var sink = new MemoryStream();
        var stream = new RedactingStream(sink);
        stream.Activate(NewRedactor());
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            await stream.FlushAsync();
        }

        await stream.CompleteAsync(CancellationToken.None);
        return Encoding.UTF8.GetString(sink.ToArray());
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task EchoedSecret_NeverReachesTheAgent_InAnyChunking(string form, string body)
    {
        foreach (var chunk in new[] { 1, 2, 3, 5, 7, 16, 4096 })
        {
            var output = await StreamAsync(body, chunk);

            Assert.Contains(Redactor.Replacement, output, StringComparison.Ordinal);
            AssertNoSecret(output, form);
        }
    }

    [Fact]
    public async Task TextWithoutSecrets_IsUnchangedAndNotHeldBack()
    {
        var sink = new MemoryStream();
        var stream = new RedactingStream(sink);
        stream.Activate(NewRedactor());

        await stream.WriteAsync(Encoding.UTF8.GetBytes("data: {\"ok\":true}\n\n"));

        // Without completion, the whole SSE event is already out (nothing in it can start a secret).
        Assert.Equal("data: {\"ok\":true}\n\n", Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public async Task PrefixOfASecretAtTheEnd_IsHeldThenReleased()
    {
        var sink = new MemoryStream();
        var stream = new RedactingStream(sink);
        stream.Activate(NewRedactor());

        await stream.WriteAsync(Encoding.UTF8.GetBytes("abc sk_live_5"));
        var beforeCompletion = Encoding.UTF8.GetString(sink.ToArray());
        await stream.CompleteAsync(CancellationToken.None);

        Assert.Equal("abc ", beforeCompletion);
        Assert.Equal("abc sk_live_5", Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public async Task Count_TracksReplacements()
    {
        var redactor = NewRedactor();
        var stream = new RedactingStream(new MemoryStream());
        stream.Activate(redactor);

        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{Secret} and {Secret} and {BasicForm}"));
        await stream.CompleteAsync(CancellationToken.None);

        Assert.Equal(3, redactor.Count);
    }

    [Fact]
    public async Task InactiveStream_PassesThrough()
    {
        var sink = new MemoryStream();
        var stream = new RedactingStream(sink);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Secret));

        Assert.Equal(Secret, Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public void Headers_AreRedacted()
    {
        var headers = new HeaderDictionary
        {
            ["X-Echo"] = "Bearer " + Secret,
            ["Location"] = "https://x.test/?t=" + Uri.EscapeDataString(Secret),
            ["Content-Type"] = "application/json",
        };
        var redactor = NewRedactor();

        RedactionHeaders.Redact(headers, redactor);

        Assert.Equal("Bearer [REDACTED]", headers["X-Echo"]);
        Assert.Equal("https://x.test/?t=[REDACTED]", headers["Location"]);
        Assert.Equal("application/json", headers["Content-Type"]);
        Assert.Equal(2, redactor.Count);
    }

    [Fact]
    public void ShortValues_AreNotRedacted() =>
        Assert.True(new Redactor(["abc"]).IsEmpty);

    [Theory]
    [InlineData("on", "GET", 200, "application/json", "", "Redact")]
    [InlineData("on", "GET", 200, "text/event-stream", "", "Redact")]
    [InlineData("on", "GET", 200, "application/problem+json; charset=utf-8", "", "Redact")]
    [InlineData("on", "GET", 200, "application/soap+xml", "", "Redact")]
    [InlineData("on", "GET", 200, null, "", "Redact")]
    [InlineData("on", "GET", 200, "image/png", "", "Pass")]
    [InlineData("on", "GET", 200, "application/json", "gzip", "Decode")]
    [InlineData("on", "GET", 200, "text/plain", "x-gzip", "Decode")]
    [InlineData("on", "GET", 200, "application/json", "gzip, br", "Decode")]
    [InlineData("on", "GET", 200, "application/json", "deflate", "Decode")]
    [InlineData("on", "GET", 200, "application/json", "zstd", "Refuse")]
    [InlineData("on", "GET", 200, "application/json", "gzip, zstd", "Refuse")]
    [InlineData("on", "GET", 200, "image/png", "zstd", "Pass")]
    [InlineData("on", "GET", 200, "image/png", "gzip", "Pass")]
    [InlineData("on", "GET", 206, "text/plain", "gzip", "Refuse")]
    [InlineData("on", "GET", 206, "text/plain", "", "Redact")]
    [InlineData("on", "GET", 200, "application/json", "identity", "Redact")]
    [InlineData("on", "HEAD", 200, "application/json", "", "Pass")]
    [InlineData("on", "GET", 304, "application/json", "", "Pass")]
    [InlineData("off", "GET", 200, "application/json", "", "Pass")]
    [InlineData("strict", "GET", 200, "image/png", "", "Redact")]
    [InlineData("strict", "GET", 200, "application/json", "br", "Decode")]
    [InlineData("strict", "GET", 200, "image/png", "gzip", "Decode")]
    [InlineData("strict", "GET", 200, "image/png", "compress", "Refuse")]
    [InlineData("strict", "GET", 200, "application/json", "zstd", "Refuse")]
    public void Policy_DecidesPerResponse(string mode, string method, int status, string? contentType, string encoding, string expected) =>
        Assert.Equal(expected, RedactionPolicy.Decide(RedactionModes.Parse(mode), method, status, contentType, encoding.Length == 0 ? [] : [encoding]).ToString());

    [Theory]
    [InlineData("on", null, "identity")]
    [InlineData("on", "gzip, br", "gzip, br")]
    [InlineData("on", "gzip, deflate, br, zstd", "gzip, deflate, br")]
    [InlineData("strict", "zstd", "identity")]
    [InlineData("on", "zstd, compress, snappy", "identity")]
    [InlineData("on", "br;q=1.0, zstd;q=0.9, gzip;q=0.5", "br; q=1.0, gzip; q=0.5")]
    [InlineData("on", "gzip;q=0, br", "gzip; q=0.0, br")]
    [InlineData("on", "*", "gzip, deflate, br")]
    [InlineData("on", "zstd, *;q=0.5", "gzip; q=0.5, deflate; q=0.5, br; q=0.5")]
    [InlineData("on", "br, *;q=0", "br, *; q=0.0")]
    [InlineData("on", "identity;q=0, zstd", "identity")]
    [InlineData("strict", "x-gzip, identity", "x-gzip, identity")]
    [InlineData("off", "zstd", "zstd")]
    public void AcceptEncoding_IsRestrictedToCodingsTheBrokerCanDecode(string mode, string? agent, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://x.test/");
        if (agent is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", agent);
        }

        RedactionPolicy.PrepareRequest(RedactionModes.Parse(mode), request);

        Assert.Equal(expected, string.Join(", ", request.Headers.NonValidated["Accept-Encoding"]));
    }

    [Theory]
    [InlineData("strict", false)]
    [InlineData("on", true)]
    [InlineData("off", true)]
    public void RangeHeaders_ReachTheUpstreamOnlyOutsideStrict(string mode, bool kept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://x.test/");
        request.Headers.TryAddWithoutValidation("Range", "bytes=12-15");
        request.Headers.TryAddWithoutValidation("If-Range", "\"v1\"");

        RedactionPolicy.PrepareRequest(RedactionModes.Parse(mode), request);

        Assert.Equal(kept, request.Headers.Contains("Range"));
        Assert.Equal(kept, request.Headers.Contains("If-Range"));
    }

    private static void AssertNoSecret(string output, string form)
    {
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonEncodedText.Encode(Secret).Value, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Secret), output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WebUtility.UrlEncode(Secret), output, StringComparison.Ordinal);
        Assert.DoesNotContain(BasicForm, output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live_51H", output, StringComparison.Ordinal);
        if (form.StartsWith("base64", StringComparison.Ordinal))
        {
            // Decoding what is left must not give the secret back.
            var text = output.Replace(Redactor.Replacement, string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))[..12], text, StringComparison.Ordinal);
        }
    }
}
