using System.Net;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// What <c>agent-vault logs --json</c> records for policy outcomes: rule denials and rate-limit refusals with their error
/// code and service, redaction counts; and never a secret or token.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class PolicyLogTests(PolicyFixture fixture)
{
    [Fact]
    public async Task RuleDenial_IsRecordedWithItsCodeAndService()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        using var response = await client.DeleteAsync(fixture.Url("rules", $"/repos/acme/{marker}"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path")?.Contains(marker, StringComparison.Ordinal) == true, "the denied request");

        Assert.Equal("rule_denied", Text(record, "error"));
        Assert.Equal(403, record.GetProperty("status").GetInt32());
        Assert.Equal("rules", Text(record, "service"));
        Assert.Equal("claude", Text(record, "agent"));
        Assert.Equal("dev", Text(record, "vault"));
        Assert.Equal("DELETE", Text(record, "method"));
        Assert.Equal("rules.upstream.test", Text(record, "host"));
        Assert.Equal(0, record.GetProperty("redactions").GetInt32());
    }

    [Fact]
    public async Task RateLimitRefusal_IsRecordedWithItsCodeAndService()
    {
        // throttled: rate_limit 1/h, so its second request is refused.
        using var client = fixture.Broker.CreateClient(fixture.Token("throttled"));
        string? refusedPath = null;
        for (var i = 0; i < 2 && refusedPath is null; i++)
        {
            var path = $"/log-limit/{Guid.NewGuid():N}";
            using var response = await client.GetAsync(fixture.Url("slots", path));
            refusedPath = response.StatusCode == HttpStatusCode.TooManyRequests ? path : null;
        }

        Assert.NotNull(refusedPath);
        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == refusedPath, "the refused request");

        Assert.Equal("rate_limited", Text(record, "error"));
        Assert.Equal(429, record.GetProperty("status").GetInt32());
        Assert.Equal("slots", Text(record, "service"));
        Assert.Equal("throttled", Text(record, "agent"));
        Assert.Equal(0, record.GetProperty("redactions").GetInt32());
    }

    [Theory]
    [InlineData("plain", 1)]
    [InlineData("json", 1)]
    [InlineData("header", 2)]
    [InlineData("byte-by-byte", 1)]
    public async Task Redactions_AreCountedInTheRecord(string form, int expected)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        using var response = await client.GetAsync(fixture.Url("bearer-on", $"/leak/{form}?src=auth"));
        await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = await fixture.Broker.WaitForLogAsync(
            r => Text(r, "path") == "/leak/" + form && Text(r, "agent") == "claude" && Text(r, "host") == "bearer-on.upstream.test", "the redacted response");

        Assert.Equal(expected, record.GetProperty("redactions").GetInt32());
        Assert.Null(Text(record, "error"));
        Assert.Equal("bearer-on", Text(record, "service"));
    }

    [Fact]
    public async Task RequestLog_HoldsNoSecretOrToken()
    {
        using (var client = fixture.Broker.CreateClient(fixture.Token("claude")))
        using (var response = await client.GetAsync(fixture.Url("subst-on", "/leak/plain?src=query&k=__api_key__")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await fixture.Broker.WaitForLogAsync(r => Text(r, "host") == "subst-on.upstream.test" && Text(r, "agent") == "claude", "the substituted request");
        var logs = await fixture.Broker.Process.Cli.RunAsync("logs", "--json", "--limit", "10000");

        Assert.True(logs.ExitCode == 0, logs.ToString());
        foreach (var secret in new[] { PolicyFixture.Secret, Uri.EscapeDataString(PolicyFixture.Secret), PolicyFixture.BasicPassword, fixture.Token("claude"), fixture.Token("leaker") })
        {
            Assert.DoesNotContain(secret, logs.Stdout, StringComparison.Ordinal);
        }
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
