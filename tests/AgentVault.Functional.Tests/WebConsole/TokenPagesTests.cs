using System.Net;
using System.Text.Json;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The tokens page (SPEC §13): a scoped token minted through the form is shown once and works through the proxy, the list shows
/// tokens by id and never a value, revoking one in the console takes effect at the proxy; API errors are shown; forged posts
/// are refused.
/// </summary>
public sealed class TokenPagesTests(AgentPagesFixture fixture) : IClassFixture<AgentPagesFixture>
{
    [Fact]
    public async Task Mint_ShowsAWorkingTokenOnce_AndRevokeInTheListMakesTheProxyRefuseIt()
    {
        using var console = await fixture.SignedInAsync();

        using var minted = await MintAsync(console, "dev", "15m", "sandbox-mint");
        var html = await minted.Content.ReadAsStringAsync();
        var token = AgentPagesFixture.ShownToken(html);
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        Assert.NotNull(token);
        Assert.Contains($"AGENT_VAULT_TOKEN={token} agent-vault run --vault dev -- ", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(200, await fixture.ProxyStatusAsync(token));
        var id = IdOf(await fixture.TokenRecordsAsync(), "sandbox-mint");
        var list = await console.GetPageAsync("/ui/tokens");
        Assert.Contains($"<tr data-token-id=\"{id}\" data-state=\"live\">", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);

        using var revoked = await console.PostFormAsync("/ui/tokens", list, new Dictionary<string, string> { ["_handler"] = "revoke-" + id, ["Confirm"] = "true" });
        var after = await revoked.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains($"Token {id} revoked", AgentPagesFixture.Statuses(after), StringComparison.Ordinal);
        Assert.Contains($"<tr data-token-id=\"{id}\" data-state=\"revoked\">", after, StringComparison.Ordinal);
        Assert.DoesNotContain(token, after, StringComparison.Ordinal);
        Assert.Equal(407, await fixture.ProxyStatusAsync(token));
    }

    [Fact]
    public async Task MintForm_OffersFifteenMinutesByDefault_AndTheTokenExpiresThen()
    {
        using var console = await fixture.SignedInAsync();
        var page = await console.GetPageAsync("/ui/tokens");
        Assert.Matches("<input id=\"token-ttl\" name=\"Ttl\"[^>]* value=\"15m\"", page);

        using var minted = await MintAsync(console, "dev", "15m", "sandbox-default");
        var record = (await fixture.TokenRecordsAsync()).Single(t => t.GetProperty("label").GetString() == "sandbox-default");

        var lifetime = record.GetProperty("expires_at").GetDateTimeOffset() - record.GetProperty("created_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(15), lifetime);
        Assert.Equal("dev", record.GetProperty("vault").GetString());
        Assert.Equal("scoped", record.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task MintWithATooLongLifetime_ShowsTheApiError_AndNoToken()
    {
        using var console = await fixture.SignedInAsync();

        using var answer = await MintAsync(console, "dev", "31d", "sandbox-too-long");
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Contains("No token was minted:", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Contains("ttl must be at most", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Null(AgentPagesFixture.ShownToken(html));
        Assert.DoesNotContain(await fixture.TokenRecordsAsync(), t => t.GetProperty("label").GetString() == "sandbox-too-long");
    }

    [Fact]
    public async Task RevokePostedWithoutTheAntiforgeryToken_IsRefused_AndTheTokenStillWorks()
    {
        using var console = await fixture.SignedInAsync();
        using var minted = await MintAsync(console, "dev", "15m", "sandbox-forged");
        var token = AgentPagesFixture.ShownToken(await minted.Content.ReadAsStringAsync())!;
        var id = IdOf(await fixture.TokenRecordsAsync(), "sandbox-forged");

        using var forged = await console.Http.PostAsync("/ui/tokens", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "revoke-" + id,
            ["Confirm"] = "true",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(200, await fixture.ProxyStatusAsync(token));
    }

    private static async Task<HttpResponseMessage> MintAsync(ConsoleClient console, string vault, string ttl, string label)
    {
        var page = await console.GetPageAsync("/ui/tokens");
        return await console.PostFormAsync("/ui/tokens", page, new Dictionary<string, string>
        {
            ["_handler"] = "mint-token",
            ["Vault"] = vault,
            ["Ttl"] = ttl,
            ["Label"] = label,
        });
    }

    private static string IdOf(List<JsonElement> records, string label) =>
        records.Single(t => t.GetProperty("label").GetString() == label).GetProperty("id").GetString()!;
}
