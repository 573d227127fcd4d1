using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.WebConsole;
using Xunit;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The console's vault pages (SPEC §13): create a vault, add credential references and services through the forms, check the
/// credentials — every change through the management API, and never a secret value on a page.
/// </summary>
public sealed class VaultPagesTests(DevBrokerFixture fixture) : IClassFixture<DevBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public async Task VaultCredentialAndService_CreatedThroughTheForms_AreShownOnThePages()
    {
        using var console = await SignedInAsync();

        var list = await console.GetPageAsync("/ui/vaults");
        using var created = await console.PostFormAsync("/ui/vaults", list, new Dictionary<string, string>
        {
            ["_handler"] = "create-vault", ["VaultName"] = "forms", ["Unmatched"] = "deny",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/ui/vaults/forms", created.Headers.Location?.AbsolutePath);

        var page = await console.GetPageAsync("/ui/vaults/forms");
        using var credential = await console.PostFormAsync("/ui/vaults/forms", page, new Dictionary<string, string>
        {
            ["_handler"] = "add-credential", ["CredentialKey"] = "GH_TOKEN", ["CredentialRef"] = "local:forms-gh", ["CredentialTtl"] = "30s",
        });
        Assert.Equal(HttpStatusCode.Redirect, credential.StatusCode);

        page = await console.GetPageAsync("/ui/vaults/forms");
        using var service = await console.PostFormAsync("/ui/vaults/forms", page, new Dictionary<string, string>
        {
            ["_handler"] = "add-service", ["ServiceName"] = "github", ["ServiceHost"] = "api.github.com", ["AuthType"] = "bearer",
            ["AuthKey"] = "GH_TOKEN", ["RulesAllow"] = "GET /repos/**\nPOST /repos/*/*/pulls", ["RateLimit"] = "120/min",
        });
        Assert.Equal(HttpStatusCode.Redirect, service.StatusCode);

        page = await console.GetPageAsync("/ui/vaults/forms");
        list = await console.GetPageAsync("/ui/vaults");

        Assert.Contains("data-service=\"github\"", page, StringComparison.Ordinal);
        Assert.Contains("<code>api.github.com</code>", page, StringComparison.Ordinal);
        Assert.Contains("bearer (token: GH_TOKEN)", page, StringComparison.Ordinal);
        Assert.Contains("allow GET /repos/**, POST /repos/*/*/pulls", page, StringComparison.Ordinal);
        Assert.Contains("120/min", page, StringComparison.Ordinal);
        Assert.Contains("data-credential=\"GH_TOKEN\"", page, StringComparison.Ordinal);
        Assert.Contains("<code>local:forms-gh</code>", page, StringComparison.Ordinal);
        Assert.Contains("data-vault=\"forms\"", list, StringComparison.Ordinal);
        using var api = Broker.CreateApiClient();
        var services = await api.GetFromJsonAsync<JsonElement>("/v1/vaults/forms/services");
        var stored = Assert.Single(services.EnumerateArray());
        Assert.Equal("api.github.com", stored.GetProperty("host").GetString());
        Assert.Equal("GH_TOKEN", stored.GetProperty("auth").GetProperty("token").GetString());
        var credentials = await api.GetFromJsonAsync<JsonElement>("/v1/vaults/forms/credentials");
        Assert.Equal("local:forms-gh", credentials.GetProperty("GH_TOKEN").GetProperty("ref").GetString());
    }

    [Fact]
    public async Task CheckCredentials_ShowsOkOrTheErrorPerKey_AndNoPageShowsTheSecretValue()
    {
        const string secret = "s3cr3t-value-the-console-must-never-show-7f3a";
        await Broker.PutLocalSecretsAsync(("check-gh", secret));
        await ApplyAsync(new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = "checked",
                ["credentials"] = new JsonObject { ["GOOD_KEY"] = "local:check-gh", ["MISSING_KEY"] = "local:check-nothing-here" },
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = "gh", ["host"] = "api.github.com", ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "GOOD_KEY" },
                }),
            }),
        });
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/vaults/checked");
        using var checkAnswer = await console.PostFormAsync("/ui/vaults/checked", page, new Dictionary<string, string> { ["_handler"] = "check-credentials" });
        var checkedPage = await checkAnswer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, checkAnswer.StatusCode);
        Assert.Contains("data-credential=\"GOOD_KEY\" data-check=\"ok\"", checkedPage, StringComparison.Ordinal);
        Assert.Contains("data-credential=\"MISSING_KEY\" data-check=\"error\"", checkedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("check-error", Row(checkedPage, "GOOD_KEY"), StringComparison.Ordinal);
        Assert.Contains("<span class=\"check-error\">", Row(checkedPage, "MISSING_KEY"), StringComparison.Ordinal);
        var everything = new List<string> { page, checkedPage };
        foreach (var path in new[] { "/ui", "/ui/vaults", "/ui/vaults/checked", "/ui/config", "/ui/config?format=json", "/ui/config/export", "/ui/config/export?format=json" })
        {
            everything.Add(await console.GetPageAsync(path));
        }

        Assert.All(everything, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddService_WithAnIpLiteralHost_ShowsTheValidationErrorNextToTheForm_AndSavesNothing()
    {
        await ApplyAsync(new JsonObject { ["vaults"] = new JsonArray(new JsonObject { ["name"] = "invalid" }) });
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/vaults/invalid");
        using var answer = await console.PostFormAsync("/ui/vaults/invalid", page, new Dictionary<string, string>
        {
            ["_handler"] = "add-service", ["ServiceName"] = "internal", ["ServiceHost"] = "10.0.0.1", ["AuthType"] = "passthrough",
        });
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("data-form-error=\"add-service\"", body, StringComparison.Ordinal);
        Assert.Contains("services[0].host", body, StringComparison.Ordinal);
        Assert.Contains("IP literals are not allowed", body, StringComparison.Ordinal);
        Assert.Contains("value=\"10.0.0.1\"", body, StringComparison.Ordinal);
        using var api = Broker.CreateApiClient();
        var services = await api.GetFromJsonAsync<JsonElement>("/v1/vaults/invalid/services");
        Assert.Equal(0, services.GetArrayLength());
    }

    [Fact]
    public async Task HostQuery_PrefillsTheAddServiceForm_AndDeleteRemovesAService()
    {
        await ApplyAsync(new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = "prefill",
                ["services"] = new JsonArray(new JsonObject { ["name"] = "old", ["host"] = "old.example.com", ["auth"] = new JsonObject { ["type"] = "passthrough" } }),
            }),
        });
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/vaults/prefill?host=api.example.com");
        using var deleted = await console.PostFormAsync("/ui/vaults/prefill", page, new Dictionary<string, string> { ["_handler"] = "delete-service-old" });
        var after = await console.GetPageAsync("/ui/vaults/prefill");

        Assert.Contains("name=\"ServiceHost\" type=\"text\" value=\"api.example.com\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain("data-service=\"old\"", after, StringComparison.Ordinal);
        Assert.Contains("No service is configured in this vault.", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVault_SaysSo_AndOffersNoForms()
    {
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/vaults/no-such-vault");

        Assert.Contains("There is no vault named <code>no-such-vault</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("add-service", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPostedWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        using var console = await SignedInAsync();
        await console.GetPageAsync("/ui/vaults");

        using var forged = await console.Http.PostAsync("/ui/vaults", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create-vault", ["VaultName"] = "forged", ["Unmatched"] = "deny",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var api = Broker.CreateApiClient();
        using var vault = await api.GetAsync("/v1/vaults/forged/services");
        Assert.Equal(HttpStatusCode.NotFound, vault.StatusCode);
    }

    private static string Row(string page, string credential)
    {
        var start = page.IndexOf($"data-credential=\"{credential}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {credential}");
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task UpdatingAServiceThroughTheForm_KeepsWhatTheFormDoesNotShow()
    {
        await ApplyAsync(new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = "keep",
                ["credentials"] = new JsonObject { ["TG_TOKEN"] = "local:keep-tg" },
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = "telegram",
                    ["host"] = "api.telegram.org",
                    ["auth"] = new JsonObject { ["type"] = "passthrough" },
                    ["substitutions"] = new JsonArray(new JsonObject { ["key"] = "TG_TOKEN", ["placeholder"] = "__tg_token__", ["in"] = new JsonArray("path") }),
                    ["redact"] = "strict",
                }),
            }),
        });
        using var console = await SignedInAsync();
        var page = await console.GetPageAsync("/ui/vaults/keep");

        using var saved = await console.PostFormAsync("/ui/vaults/keep", page, new Dictionary<string, string>
        {
            ["_handler"] = "add-service", ["ServiceName"] = "telegram", ["ServiceHost"] = "api.telegram.org:8443", ["AuthType"] = "passthrough",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var api = Broker.CreateApiClient();
        var stored = Assert.Single((await api.GetFromJsonAsync<JsonElement>("/v1/vaults/keep/services")).EnumerateArray());
        Assert.Equal("api.telegram.org:8443", stored.GetProperty("host").GetString());
        Assert.Equal("strict", stored.GetProperty("redact").GetString());
        Assert.Equal("__tg_token__", Assert.Single(stored.GetProperty("substitutions").EnumerateArray()).GetProperty("placeholder").GetString());
    }

    private async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(Broker.ApiUrl);
        using var signedIn = await console.SignInAsync(Broker.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return console;
    }

    private async Task ApplyAsync(JsonObject document)
    {
        using var api = Broker.CreateApiClient();
        using var answer = await api.PostAsJsonAsync("/v1/apply", document);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }
}
