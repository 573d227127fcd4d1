using System.Net;
using AgentVault.Functional.Tests.WebConsole;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.Proposals;

/// <summary>
/// The console's proposal pages (SPEC §13): the list, the review with its warning shown as an alert and the agent's message
/// as text, approval through the form (a described credential gets its reference there) and rejection.
/// </summary>
[Collection(ProposalCollection.Name)]
public sealed class ProposalPageTests(ProposalFixture fixture)
{
    [Fact]
    public async Task ReviewPage_ShowsTheWarningAndChanges_AndTheApproveFormAppliesIt()
    {
        var host = "console-reuse.example.com/console/*";
        var (status, created) = await fixture.PostAsync(fixture.Claude, "/v1/proposals", new
        {
            vault = "dev",
            message = "<script>alert(1)</script> please",
            services = new object[]
            {
                new { name = "console-reuse", host, auth = new { type = "bearer", token = "UPSTREAM_TOKEN" } },
                new { name = "console-new", host = "console-new.example.com", auth = new { type = "bearer", token = "CONSOLE_KEY" } },
            },
            credentials = new Dictionary<string, object> { ["CONSOLE_KEY"] = new { description = "the console API key" } },
        });
        Assert.Equal(201, status);
        var id = created.GetProperty("id").GetString()!;
        using var console = await SignInAsync();

        var list = await console.GetPageAsync("/ui/proposals");
        Assert.Contains($"<tr data-proposal-id=\"{id}\" data-status=\"pending\" data-warnings=\"1\">", list, StringComparison.Ordinal);

        var page = await console.GetPageAsync("/ui/proposals/" + id);
        Assert.Contains("data-warning=\"credential_reaches_new_host\"", page, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; please", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
        Assert.Contains("+ add credential CONSOLE_KEY: a person names its reference on approval (the console API key)", WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        using var approved = await console.PostFormAsync("/ui/proposals/" + id, page,
            new Dictionary<string, string> { ["_handler"] = "approve-proposal", ["Credential[CONSOLE_KEY]"] = "local:proposed" });
        var after = await approved.Content.ReadAsStringAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, after);
        Assert.Contains($"Proposal {id} approved", AgentPagesFixture.Statuses(after), StringComparison.Ordinal);
        Assert.Contains("data-proposal-status=\"approved\"", after, StringComparison.Ordinal);
        var export = (await fixture.Broker.Process.Cli.RunAsync("export")).Stdout;
        Assert.Contains("CONSOLE_KEY: local:proposed", export, StringComparison.Ordinal);
        Assert.Contains("console-new.example.com", export, StringComparison.Ordinal);
        Assert.DoesNotContain(ProposalFixture.NewSecret, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectForm_RecordsTheReason_AndAForgedPostIsRefused()
    {
        var id = await fixture.ProposeAsync("console-reject", "console-reject.example.com");
        using var console = await SignInAsync();
        var page = await console.GetPageAsync("/ui/proposals/" + id);

        using var forged = await console.Http.PostAsync("/ui/proposals/" + id,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "reject-proposal", ["Reason"] = "forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("pending", (await fixture.GetAsync(fixture.Broker.Process.AdminToken, "/v1/proposals/" + id)).Body.GetProperty("status").GetString());

        using var rejected = await console.PostFormAsync("/ui/proposals/" + id, page, new Dictionary<string, string> { ["_handler"] = "reject-proposal", ["Reason"] = "not this one" });
        var after = await rejected.Content.ReadAsStringAsync();
        Assert.Contains($"Proposal {id} rejected", AgentPagesFixture.Statuses(after), StringComparison.Ordinal);
        var view = (await fixture.GetAsync(fixture.Broker.Process.AdminToken, "/v1/proposals/" + id)).Body;
        Assert.Equal(("rejected", "not this one"), (view.GetProperty("status").GetString(), view.GetProperty("reason").GetString()));
    }

    private async Task<ConsoleClient> SignInAsync()
    {
        var console = new ConsoleClient(fixture.Broker.Process.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.Process.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return console;
    }
}
