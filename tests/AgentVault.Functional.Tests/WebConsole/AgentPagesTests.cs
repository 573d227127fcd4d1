using System.Net;
using System.Text.Json;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The agents page (SPEC §13): an agent created through the form gets a token shown once, which works through the proxy;
/// revoke, rotate and delete in the console take effect at the proxy; API errors are shown; forged posts are refused.
/// Every test uses its own agent names on the one broker of the fixture.
/// </summary>
public sealed class AgentPagesTests(AgentPagesFixture fixture) : IClassFixture<AgentPagesFixture>
{
    [Fact]
    public async Task CreateThroughTheForm_ShowsAWorkingTokenOnce_WithTheRunAndEnvLines()
    {
        using var console = await fixture.SignedInAsync();

        using var answer = await CreateAsync(console, "page-created", "dev", "ops");
        var html = await answer.Content.ReadAsStringAsync();
        var token = AgentPagesFixture.ShownToken(html);
        var text = WebUtility.HtmlDecode(html);
        var later = await console.GetPageAsync("/ui/agents");
        var tokensPage = await console.GetPageAsync("/ui/tokens");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotNull(token);
        Assert.Equal(200, await fixture.ProxyStatusAsync(token, "dev"));
        var api = fixture.Broker.Process.ApiUrl.GetLeftPart(UriPartial.Authority);
        Assert.Contains($"AGENT_VAULT_ADDR={api} AGENT_VAULT_TOKEN={token} agent-vault run --vault dev -- ", text, StringComparison.Ordinal);
        Assert.Contains($"export AGENT_VAULT_ADDR={api} AGENT_VAULT_TOKEN={token} AGENT_VAULT_VAULT=dev\neval \"$(agent-vault env)\"", text, StringComparison.Ordinal);
        Assert.Contains("href=\"/v1/ca.pem\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-agent=\"page-created\" data-tokens=\"1\">", later, StringComparison.Ordinal);
        Assert.Contains("<td>dev, ops</td>", later, StringComparison.Ordinal);
        Assert.DoesNotContain(token, later, StringComparison.Ordinal);
        Assert.DoesNotContain(token, tokensPage, StringComparison.Ordinal);
        Assert.DoesNotContain("avt_", later, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentPagesFixture.Secret, html + later + tokensPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeInTheConsole_TheProxyRefusesTheToken()
    {
        using var console = await fixture.SignedInAsync();
        var token = await CreateAndReadTokenAsync(console, "page-revoked");
        Assert.Equal(200, await fixture.ProxyStatusAsync(token));

        using var answer = await PostRowAsync(console, "revoke-page-revoked", confirm: true);
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Agent page-revoked revoked (1 token)", AgentPagesFixture.Statuses(html), StringComparison.Ordinal);
        Assert.Contains("<tr data-agent=\"page-revoked\" data-tokens=\"0\">", html, StringComparison.Ordinal);
        Assert.Equal(407, await fixture.ProxyStatusAsync(token));
    }

    [Fact]
    public async Task RevokeWithoutTickingTheConfirmation_RevokesNothing()
    {
        using var console = await fixture.SignedInAsync();
        var token = await CreateAndReadTokenAsync(console, "page-unconfirmed");

        using var answer = await PostRowAsync(console, "revoke-page-unconfirmed", confirm: false);
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Contains("tick the box to confirm", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Equal(200, await fixture.ProxyStatusAsync(token));
    }

    [Fact]
    public async Task Rotate_ShowsANewWorkingToken_AndTheOldOneIsRefused()
    {
        using var console = await fixture.SignedInAsync();
        var old = await CreateAndReadTokenAsync(console, "page-rotated");

        using var answer = await PostRowAsync(console, "rotate-page-rotated", confirm: false);
        var html = await answer.Content.ReadAsStringAsync();
        var rotated = AgentPagesFixture.ShownToken(html);
        var later = await console.GetPageAsync("/ui/agents");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotNull(rotated);
        Assert.NotEqual(old, rotated);
        Assert.Contains($"AGENT_VAULT_TOKEN={rotated} agent-vault run --vault dev -- ", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(200, await fixture.ProxyStatusAsync(rotated));
        Assert.Equal(407, await fixture.ProxyStatusAsync(old));
        Assert.DoesNotContain(rotated, later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesTheAgent_AndTheProxyRefusesItsToken()
    {
        using var console = await fixture.SignedInAsync();
        var token = await CreateAndReadTokenAsync(console, "page-deleted");

        using var answer = await PostRowAsync(console, "delete-page-deleted", confirm: true);
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Contains("Agent page-deleted deleted", AgentPagesFixture.Statuses(html), StringComparison.Ordinal);
        Assert.DoesNotContain("data-agent=\"page-deleted\"", html, StringComparison.Ordinal);
        Assert.Equal(407, await fixture.ProxyStatusAsync(token));
    }

    [Fact]
    public async Task DuplicateName_ShowsTheApiError_AndNoToken()
    {
        using var console = await fixture.SignedInAsync();
        await CreateAndReadTokenAsync(console, "page-twice");

        using var answer = await CreateAsync(console, "page-twice", "dev");
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("The agent was not created: agent 'page-twice' already exists", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Null(AgentPagesFixture.ShownToken(html));
        Assert.DoesNotContain("avt_", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidName_ShowsTheApiValidationError_AndKeepsWhatWasTyped()
    {
        using var console = await fixture.SignedInAsync();

        using var answer = await CreateAsync(console, "Not_A_Name", "dev");
        var html = await answer.Content.ReadAsStringAsync();

        Assert.Contains("The agent was not created:", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Contains("name", AgentPagesFixture.Alerts(html), StringComparison.Ordinal);
        Assert.Contains("value=\"Not_A_Name\"", html, StringComparison.Ordinal);
        Assert.Null(AgentPagesFixture.ShownToken(html));
    }

    [Fact]
    public async Task CreatePostedWithoutTheAntiforgeryToken_IsRefused_AndCreatesNothing()
    {
        using var console = await fixture.SignedInAsync();
        await console.GetPageAsync("/ui/agents");

        using var forged = await console.Http.PostAsync("/ui/agents", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create-agent",
            ["Name"] = "page-forged",
            ["Vaults"] = "dev",
        }));
        using var api = fixture.Broker.Process.CreateApiClient();
        using var agents = JsonDocument.Parse(await api.GetStringAsync(new Uri("/v1/agents", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("avt_", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(agents.RootElement.EnumerateArray(), a => a.GetProperty("name").GetString() == "page-forged");
    }

    private static async Task<HttpResponseMessage> CreateAsync(ConsoleClient console, string name, params string[] vaults)
    {
        var page = await console.GetPageAsync("/ui/agents");
        var fields = new List<KeyValuePair<string, string>> { new("_handler", "create-agent"), new("Name", name) };
        fields.AddRange(vaults.Select(v => new KeyValuePair<string, string>("Vaults", v)));
        if (ConsoleClient.AntiforgeryToken(page) is { } antiforgery)
        {
            fields.Add(new("__RequestVerificationToken", antiforgery));
        }

        return await console.Http.PostAsync("/ui/agents", new FormUrlEncodedContent(fields));
    }

    private static async Task<string> CreateAndReadTokenAsync(ConsoleClient console, string name)
    {
        using var answer = await CreateAsync(console, name, "dev");
        var html = await answer.Content.ReadAsStringAsync();
        return AgentPagesFixture.ShownToken(html) ?? throw new InvalidOperationException($"no token shown for {name}: {AgentPagesFixture.Alerts(html)}");
    }

    private static async Task<HttpResponseMessage> PostRowAsync(ConsoleClient console, string handler, bool confirm)
    {
        var page = await console.GetPageAsync("/ui/agents");
        var fields = new Dictionary<string, string> { ["_handler"] = handler };
        if (confirm)
        {
            fields["Confirm"] = "true";
        }

        return await console.PostFormAsync("/ui/agents", page, fields);
    }
}
