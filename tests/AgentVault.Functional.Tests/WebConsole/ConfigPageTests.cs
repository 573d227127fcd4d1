using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.WebConsole;
using Xunit;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The console's configuration page (SPEC §13): the export shown and downloadable, and apply with a dry-run plan first — a plan
/// changes nothing, an apply goes through <c>POST /v1/apply</c> and shows new agents' tokens once.
/// </summary>
public sealed partial class ConfigPageTests(DevBrokerFixture fixture) : IClassFixture<DevBrokerFixture>
{
    private const string Document = """
        vaults:
          - name: planned
            unmatched: deny
            credentials:
              PLANNED_KEY: { ref: "local:planned", ttl: 30s }
            services:
              - name: example
                host: api.example.com
                auth: { type: bearer, token: PLANNED_KEY }
        agents:
          - name: planner
            vaults: [planned]
        """;

    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public async Task Plan_ShowsWhatWouldChange_AndChangesNothing()
    {
        using var console = await SignedInAsync();
        var before = await ExportTextAsync();

        var page = await console.GetPageAsync("/ui/config");
        using var plan = await PostAsync(console, page, "plan", Document);
        var body = await plan.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Contains("data-result=\"plan\"", body, StringComparison.Ordinal);
        Assert.Contains("data-change=\"created\" data-item=\"vault/planned\"", body, StringComparison.Ordinal);
        Assert.Contains("data-item=\"service/planned/example\"", body, StringComparison.Ordinal);
        Assert.Contains("data-item=\"agent/planner\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("avt_", body, StringComparison.Ordinal);
        Assert.Equal(before, await ExportTextAsync());
        using var api = Broker.CreateApiClient();
        using var vault = await api.GetAsync("/v1/vaults/planned/services");
        Assert.Equal(HttpStatusCode.NotFound, vault.StatusCode);
    }

    [Fact]
    public async Task PlanThenApply_ChangesTheConfiguration_AndShowsTheNewAgentsTokenOnce()
    {
        using var console = await SignedInAsync();
        var page = await console.GetPageAsync("/ui/config");
        var document = Document.Replace("planned", "applied", StringComparison.Ordinal).Replace("planner", "applier", StringComparison.Ordinal);
        using var plan = await PostAsync(console, page, "plan", document);
        var planned = await plan.Content.ReadAsStringAsync();

        using var apply = await PostAsync(console, planned, "apply", document);
        var applied = await apply.Content.ReadAsStringAsync();
        var export = await ExportAsync();
        var configPage = await console.GetPageAsync("/ui/config");

        Assert.Contains("Apply this plan", planned, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Contains("data-result=\"applied\"", applied, StringComparison.Ordinal);
        Assert.Contains("data-change=\"created\" data-item=\"vault/applied\"", applied, StringComparison.Ordinal);
        var token = TokenPattern().Match(applied).Value;
        Assert.StartsWith("avt_", token, StringComparison.Ordinal);
        var vault = Assert.Single(export.GetProperty("vaults").EnumerateArray(), v => v.GetProperty("name").GetString() == "applied");
        Assert.Equal("api.example.com", vault.GetProperty("services")[0].GetProperty("host").GetString());
        Assert.Contains(export.GetProperty("agents").EnumerateArray(), a => a.GetProperty("name").GetString() == "applier");
        Assert.Contains("- name: applied", configPage, StringComparison.Ordinal);
        Assert.DoesNotContain(token, configPage, StringComparison.Ordinal);
        using var agent = new HttpClient { BaseAddress = Broker.ApiUrl };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var discover = await agent.GetAsync("/v1/discover");
        Assert.Equal(HttpStatusCode.OK, discover.StatusCode);
    }

    [Fact]
    public async Task PlanWithPrune_ListsWhatWouldBeDeleted_AndDeletesNothing()
    {
        using var api = Broker.CreateApiClient();
        using var seeded = await api.PutAsJsonAsync("/v1/vaults/kept", new { unmatched = "deny" });
        seeded.EnsureSuccessStatusCode();
        using var console = await SignedInAsync();
        var before = await ExportTextAsync();

        var page = await console.GetPageAsync("/ui/config");
        using var plan = await PostAsync(console, page, "plan", "vaults: [{ name: only, unmatched: deny }]", prune: true);
        var body = await plan.Content.ReadAsStringAsync();

        Assert.Contains("data-change=\"deleted\" data-item=\"vault/kept\"", body, StringComparison.Ordinal);
        Assert.Contains("data-change=\"created\" data-item=\"vault/only\"", body, StringComparison.Ordinal);
        Assert.Equal(before, await ExportTextAsync());
    }

    [Fact]
    public async Task InvalidDocuments_ShowTheValidationError_AndChangeNothing()
    {
        using var console = await SignedInAsync();
        var before = await ExportTextAsync();
        var page = await console.GetPageAsync("/ui/config");

        using var invalid = await PostAsync(console, page, "plan", "vaults:\n  - name: bad\n    services:\n      - { name: ip, host: 10.0.0.1, auth: { type: passthrough } }\n");
        using var notYaml = await PostAsync(console, page, "plan", "vaults: [unclosed");
        using var notAMapping = await PostAsync(console, page, "plan", "[1, 2]");
        var invalidBody = await invalid.Content.ReadAsStringAsync();

        Assert.Contains("data-form-error=\"apply-config\"", invalidBody, StringComparison.Ordinal);
        Assert.Contains("vaults[0].services[0].host", invalidBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Apply this plan", invalidBody, StringComparison.Ordinal);
        Assert.Contains("data-form-error=\"apply-config\"", await notYaml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("must be a mapping", await notAMapping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await ExportTextAsync());
    }

    [Fact]
    public async Task Export_IsShownAsYamlOrJson_AndDownloadedAsAnAttachment()
    {
        using var api = Broker.CreateApiClient();
        using var seeded = await api.PutAsJsonAsync("/v1/vaults/exported", new { unmatched = "passthrough" });
        seeded.EnsureSuccessStatusCode();
        using var console = await SignedInAsync();

        var yamlPage = await console.GetPageAsync("/ui/config");
        var jsonPage = await console.GetPageAsync("/ui/config?format=json");
        using var yaml = await console.Http.GetAsync("/ui/config/export");
        using var json = await console.Http.GetAsync("/ui/config/export?format=json");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Broker.ApiUrl };
        using var signedOut = await anonymous.GetAsync("/ui/config/export");

        Assert.Contains("- name: exported", yamlPage, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"exported\"", WebUtility.HtmlDecode(jsonPage), StringComparison.Ordinal);
        Assert.Equal("attachment", yaml.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("agent-vault.yaml", yaml.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("unmatched: passthrough", await yaml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("agent-vault.json", json.Content.Headers.ContentDisposition?.FileName);
        var downloaded = JsonNode.Parse(await json.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await ExportTextAsync()), downloaded));
        Assert.NotEqual(HttpStatusCode.OK, signedOut.StatusCode);
    }

    [Fact]
    public async Task Apply_OfAnEditedDocumentOrAfterTheConfigurationChanged_IsRefused_AndAppliesNothing()
    {
        using var console = await SignedInAsync();
        var page = await console.GetPageAsync("/ui/config");
        using var plan = await PostAsync(console, page, "plan", "vaults: [{ name: stale-plan }]");
        var planned = await plan.Content.ReadAsStringAsync();

        using var edited = await PostAsync(console, planned, "apply", "vaults: [{ name: edited-after-plan }]");
        using var api = Broker.CreateApiClient();
        using var meanwhile = await api.PutAsJsonAsync("/v1/vaults/meanwhile", new { unmatched = "deny" });
        meanwhile.EnsureSuccessStatusCode();
        var before = await ExportTextAsync();
        using var stale = await PostAsync(console, planned, "apply", "vaults: [{ name: stale-plan }]");

        Assert.Contains("changed since the plan: plan it again", await edited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The configuration changed since the plan, so nothing was applied", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await ExportTextAsync());
        Assert.DoesNotContain("edited-after-plan", before, StringComparison.Ordinal);
        Assert.DoesNotContain("stale-plan", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyPostedWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        using var console = await SignedInAsync();
        var before = await ExportTextAsync();
        await console.GetPageAsync("/ui/config");

        using var forged = await console.Http.PostAsync("/ui/config", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "apply-config", ["Document"] = "vaults: [{ name: forged-apply }]", ["Action"] = "apply",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, await ExportTextAsync());
    }

    /// <summary>Posts the apply form like a browser: with the plan's hidden fields when <paramref name="page"/> shows a plan.</summary>
    private static Task<HttpResponseMessage> PostAsync(ConsoleClient console, string page, string action, string document, bool prune = false)
    {
        var fields = new Dictionary<string, string> { ["_handler"] = "apply-config", ["Document"] = document, ["Action"] = action };
        if (prune)
        {
            fields["Prune"] = "true";
        }

        foreach (var hidden in new[] { "PlannedVersion", "PlannedStamp" })
        {
            var match = Regex.Match(page, $"name=\"{hidden}\" value=\"([^\"]*)\"");
            if (match.Success)
            {
                fields[hidden] = WebUtility.HtmlDecode(match.Groups[1].Value);
            }
        }

        return console.PostFormAsync("/ui/config", page, fields);
    }

    private async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(Broker.ApiUrl);
        using var signedIn = await console.SignInAsync(Broker.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return console;
    }

    private async Task<JsonElement> ExportAsync() => JsonSerializer.Deserialize<JsonElement>(await ExportTextAsync());

    private async Task<string> ExportTextAsync()
    {
        using var api = Broker.CreateApiClient();
        return await api.GetStringAsync("/v1/export");
    }

    [GeneratedRegex("avt_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenPattern();
}
