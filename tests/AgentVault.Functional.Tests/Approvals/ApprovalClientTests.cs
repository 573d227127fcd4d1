using System.Net;
using System.Text.Json;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.Approvals;

/// <summary>
/// Who may decide on a held request and how: the admin through the API (with validation), the CLI and the console; never an
/// agent token (401). Each test leaves nothing held behind.
/// </summary>
[Collection(ApprovalCollection.Name)]
public sealed class ApprovalClientTests(ApprovalFixture fixture)
{
    [Fact]
    public async Task ApproveForTooLong_Is400_AndTheRequestStaysHeld()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        var pending = client.PostAsync(fixture.Payments($"/charges/{marker}"), new StringContent("x"));
        var held = await fixture.WaitForPendingAsync(marker);

        using var tooLong = await fixture.DecideAsync(Text(held, "id"), "approve", new { @for = "25h" });
        using var api = fixture.Broker.Process.CreateApiClient();
        using var badFilter = await api.GetAsync(new Uri("/v1/approvals?status=maybe", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 24h", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Equal("pending", Text(await fixture.WaitForPendingAsync(marker), "status"));
        using var denied = await fixture.DecideAsync(Text(held, "id"), "deny");
        Assert.Equal(HttpStatusCode.Forbidden, (await pending).StatusCode);
        Assert.Equal(0, fixture.Hits(marker));
    }

    [Fact]
    public async Task AgentToken_CannotListOrDecide()
    {
        var marker = Marker();
        var token = fixture.Token("claude");
        using var client = fixture.Broker.CreateClient(token);
        var pending = client.PostAsync(fixture.Payments($"/charges/{marker}"), new StringContent("x"));
        var held = await fixture.WaitForPendingAsync(marker);
        using var agentApi = fixture.Broker.Process.CreateApiClient(admin: false);
        agentApi.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var list = await agentApi.GetAsync(new Uri("/v1/approvals", UriKind.Relative));
        using var approve = await fixture.DecideAsync(Text(held, "id"), "approve", token: token);
        using var grants = await agentApi.GetAsync(new Uri("/v1/approvals/grants", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, grants.StatusCode);
        Assert.Equal("pending", Text(await fixture.WaitForPendingAsync(marker), "status"));
        Assert.Equal(0, fixture.Hits(marker));

        using var denied = await fixture.DecideAsync(Text(held, "id"), "deny");
        Assert.Equal(HttpStatusCode.Forbidden, (await pending).StatusCode);
    }

    [Fact]
    public async Task Cli_ListsAndApproves()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        var pending = client.PutAsync(fixture.Payments($"/cli/{marker}"), new StringContent("via cli"));
        var id = Text(await fixture.WaitForPendingAsync(marker), "id");

        var listed = await fixture.Broker.Process.Cli.RunAsync("approval", "list", "--json");
        var table = await fixture.Broker.Process.Cli.RunAsync("approval", "list");
        var approved = await fixture.Broker.Process.Cli.RunAsync("approval", "approve", id);
        using var response = await pending;
        var again = await fixture.Broker.Process.Cli.RunAsync("approval", "approve", id);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("items").EnumerateArray(), i => Text(i, "id") == id && Text(i, "method") == "PUT");
        Assert.Contains(table.Lines, l => l.Contains(id, StringComparison.Ordinal) && l.Contains($"PUT payments.upstream.test:{fixture.Upstream.Port}/cli/{marker}", StringComparison.Ordinal));
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains($"{id} approved", approved.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, fixture.Hits(marker));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already decided", again.Stderr, StringComparison.Ordinal);
        var logs = await fixture.Broker.Process.Cli.RunAsync("logs");
        Assert.Contains(logs.Lines, l => l.Contains($"/cli/{marker}", StringComparison.Ordinal) && l.Contains("approval=approved by=admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_ListsTheHeldRequest_AndApprovesIt()
    {
        var marker = Marker();
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"));
        var pending = client.PostAsync(fixture.Payments($"/console/{marker}"), new StringContent("via console"));
        var id = Text(await fixture.WaitForPendingAsync(marker), "id");
        using var console = new ConsoleClient(fixture.Broker.Process.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.Process.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var page = await console.GetPageAsync("/ui/approvals");
        Assert.Contains($"data-approval-id=\"{id}\"", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/ui/approvals\">Approvals</a>", page, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Hits(marker));

        using var posted = await console.PostFormAsync("/ui/approvals", page, new Dictionary<string, string> { ["_handler"] = "decide", ["Decision"] = "approve:" + id });
        var after = await posted.Content.ReadAsStringAsync();
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains($"Request {id} approved", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-approval-id=\"{id}\"", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, fixture.Hits(marker));
        var record = await fixture.LogOfAsync(marker);
        Assert.Equal(("approved", "admin-token"), (Text(record, "approval"), Text(record, "decided_by")));
    }

    private static string Marker() => ApprovalFixture.Marker();

    private static string Text(JsonElement element, string name) => ApprovalFixture.Text(element, name);
}
