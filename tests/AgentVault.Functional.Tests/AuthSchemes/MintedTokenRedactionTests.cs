using System.Text;
using System.Text.Json;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// Issue 6 for minted tokens: an upstream that reflects the access token the broker minted (response header; JSON body
/// raw, base64, base64url, and inside base64 of the whole header line) — the agent sees <c>[REDACTED]</c>, never the
/// token, and the request log counts the redactions.
/// </summary>
public sealed class MintedTokenRedactionTests(OAuthBrokerFixture fixture) : IClassFixture<OAuthBrokerFixture>
{
    private const string Redacted = "[REDACTED]";

    [Fact]
    public async Task UpstreamReflectsMintedToken_AgentSeesRedactedEveryForm_LogCountsThem()
    {
        var path = OAuthBrokerFixture.FreshPath("reflect");

        var response = await fixture.CurlAsync(path);

        Assert.Equal(200, response.Status);
        var token = Assert.Single(fixture.Upstream.TokensFor(path));
        await fixture.Provider.VerifyJwtAsync(token);
        foreach (var form in Forms(token))
        {
            Assert.DoesNotContain(form, response.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal("Bearer " + Redacted, response.Header("x-echo-authorization"));
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("Bearer " + Redacted, body.RootElement.GetProperty("authorization").GetString());
        Assert.Equal(Redacted, body.RootElement.GetProperty("token_base64").GetString());
        Assert.Equal(Redacted, body.RootElement.GetProperty("token_base64url").GetString());
        Assert.Contains(Redacted, body.RootElement.GetProperty("header_base64").GetString(), StringComparison.Ordinal);

        var record = await RequestLogRecordAsync(path);
        Assert.Equal("cc-reflect", record.GetProperty("service").GetString());
        Assert.True(record.GetProperty("redactions").GetInt32() >= 5, record.ToString());
    }

    [Fact]
    public async Task TokenRefreshedAfter401_TheNewTokenIsRedactedToo()
    {
        var path = OAuthBrokerFixture.FreshPath("reflect") + "/reject-once/x";

        var response = await fixture.CurlAsync(path);

        Assert.Equal(200, response.Status);
        var tokens = fixture.Upstream.TokensFor(path);
        Assert.Equal(2, tokens.Count);
        Assert.Equal("Bearer " + Redacted, response.Header("x-echo-authorization"));
        foreach (var form in tokens.SelectMany(Forms))
        {
            Assert.DoesNotContain(form, response.ToString(), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> Forms(string token)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(token));
        yield return token;
        yield return base64;
        yield return base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: Bearer " + token));
    }

    // The request log is written after the response; poll it with a deadline.
    private async Task<JsonElement> RequestLogRecordAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var logs = await fixture.Broker.Cli.RunAsync("logs", "--vault", OAuthBrokerFixture.Vault, "--json");
            Assert.True(logs.ExitCode == 0, logs.ToString());
            foreach (var line in logs.Lines)
            {
                using var record = JsonDocument.Parse(line);
                if (record.RootElement.GetProperty("path").GetString() == path)
                {
                    return record.RootElement.Clone();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no request log record for {path}:\n{logs.Stdout}");
            }

            await Task.Delay(200);
        }
    }
}
