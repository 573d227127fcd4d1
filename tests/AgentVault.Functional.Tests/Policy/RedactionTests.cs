using System.Net;
using System.Text;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// An upstream that sends back the credential it received — the injected Authorization header, a Basic password, a
/// substituted query parameter or body — in every form of <see cref="LeakForm"/>. With <c>redact</c> on (the default)
/// or strict the agent never sees it; with <c>off</c> it does (so each case can fail). A declared Content-Length that
/// redaction invalidates never reaches the agent.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class RedactionTests(PolicyFixture fixture)
{
    public static TheoryData<string, string, string, string> Cases(string mode, params string[] forms)
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var form in forms)
        {
            foreach (var (kind, source) in LeakRequest.Sources)
            {
                data.Add(mode, form, kind, source);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string, string> OnCases => Cases("on", LeakForm.Textual);

    public static TheoryData<string, string, string, string> StrictCases => Cases("strict", [.. LeakForm.Textual, LeakForm.Binary]);

    public static TheoryData<string, string, string, string> OffCases => Cases("off", [.. LeakForm.Textual, LeakForm.Binary]);

    [Theory]
    [MemberData(nameof(OnCases))]
    [MemberData(nameof(StrictCases))]
    public async Task EchoedSecret_NeverReachesTheAgent(string mode, string form, string kind, string source)
    {
        var answer = await SendAsync(mode, form, kind, source);

        var leaked = LeakForm.Encode(form, LeakRequest.Reflected(kind, source));
        Assert.DoesNotContain(leaked, answer.Everything, StringComparison.Ordinal);
        foreach (var secret in LeakRequest.Secrets(kind))
        {
            Assert.DoesNotContain(secret, answer.Everything, StringComparison.Ordinal);
            Assert.DoesNotContain(LeakForm.Encode(form, secret), answer.Everything, StringComparison.Ordinal);
        }

        Assert.Contains("[REDACTED]", form == LeakForm.Header ? answer.Head : answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OffCases))]
    public async Task RedactOff_LetsTheEchoThrough(string mode, string form, string kind, string source)
    {
        var answer = await SendAsync(mode, form, kind, source);

        var reflected = LeakForm.Encode(form, LeakRequest.Reflected(kind, source));
        Assert.Contains(reflected, form == LeakForm.Header ? answer.Head : answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("[REDACTED]", answer.Everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LeakForm.Plain, "1.1")]
    [InlineData(LeakForm.Json, "1.1")]
    [InlineData(LeakForm.ByteByByte, "1.1")]
    [InlineData(LeakForm.Sse, "1.1")]
    [InlineData(LeakForm.Plain, "2.0")]
    [InlineData(LeakForm.Json, "2.0")]
    [InlineData(LeakForm.ByteByByte, "2.0")]
    [InlineData(LeakForm.Sse, "2.0")]
    public async Task RedactedBody_IsExactlyTheUpstreamBodyWithTheSecretReplaced(string form, string version)
    {
        var answer = await SendAsync("on", form, "bearer", "auth", Version.Parse(version));

        Assert.Equal(LeakForm.Body(form, "Bearer [REDACTED]"), answer.Body);
    }

    [Theory]
    [InlineData(LeakForm.Json, 400)]
    [InlineData(LeakForm.Plain, 401)]
    [InlineData(LeakForm.Xml, 403)]
    [InlineData(LeakForm.Json, 500)]
    [InlineData(LeakForm.Header, 302)]
    [InlineData(LeakForm.Header, 401)]
    public async Task ErrorAndRedirectAnswers_AreRedactedToo(string form, int status)
    {
        // An API that rejects a token often quotes it ("invalid api key sk-…"); a redirect may carry it in Location.
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"));
        using var response = await client.GetAsync(fixture.Url("bearer-on", $"/leak/{form}?src=auth&status={status}"));
        var body = await response.Content.ReadAsStringAsync();
        var head = string.Join('\n', response.Headers.NonValidated.Select(h => h.Key + ": " + string.Join(", ", h.Value)));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("X-Agent-Vault-Error"), "the upstream's answer, not the broker's");
        Assert.DoesNotContain(PolicyFixture.Secret, head + body, StringComparison.Ordinal);
        Assert.DoesNotContain(LeakForm.Encode(form, PolicyFixture.Secret), head + body, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(PolicyFixture.Secret), head + body, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", form == LeakForm.Header ? head : body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnMode_PassesBinaryBodies_StrictRedactsThem()
    {
        var on = await SendAsync("on", LeakForm.Binary, "bearer", "auth");
        var strict = await SendAsync("strict", LeakForm.Binary, "bearer", "auth");

        Assert.Contains(PolicyFixture.Secret, on.Body, StringComparison.Ordinal);
        Assert.Equal("echo:Bearer [REDACTED];", strict.Body);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2")]
    public async Task RedactedResponse_HasACorrectLength_ForCurl(string http)
    {
        // The upstream declares Content-Length for the body with the secret; the redacted body is shorter. curl fails
        // (exit 18) on a body shorter than declared, so exit 0 and the exact body prove the length was handled.
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("leaker"),
            [.. CurlResponse.Arguments, "--http" + http, fixture.Url("bearer-on", "/leak/plain?src=auth")]));

        Assert.True(response.Status == 200, response.ToString());
        Assert.Equal("echo:Bearer [REDACTED];", response.Body.TrimEnd('\n'));
        var length = response.Header("Content-Length");
        Assert.True(length is null || length == "23", response.Head);
    }

    private async Task<LeakAnswer> SendAsync(string mode, string form, string kind, string source, Version? version = null)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token("leaker"), version: version);
        using var request = LeakRequest.Create(fixture, kind, mode, form, source);
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var body = Encoding.UTF8.GetString(bytes);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        Assert.True(response.Content.Headers.ContentLength is null || response.Content.Headers.ContentLength == bytes.Length,
            $"Content-Length {response.Content.Headers.ContentLength} for a body of {bytes.Length} bytes");
        var head = new StringBuilder();
        // NonValidated: the header text as received (parsed values such as Location would be re-rendered).
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            head.Append(name).Append(": ").AppendJoin(", ", values).Append('\n');
        }

        return new LeakAnswer(head.ToString(), body);
    }

    private sealed record LeakAnswer(string Head, string Body)
    {
        public string Everything => Head + "\n" + Body;
    }
}
