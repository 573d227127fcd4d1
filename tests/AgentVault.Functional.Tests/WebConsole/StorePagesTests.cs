using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Functional.Tests.Proxy;
using AgentVault.Testing.WebConsole;
using Xunit;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The stores page (<c>/ui/stores</c>, SPEC §13) against the real broker: a secret set through the form is used by the proxy
/// and shown by name only, never by value on any page; delete; antiforgery; the circuit state and cache figures of
/// <c>GET /v1/stores</c> that the page and the overview show.
/// </summary>
public sealed class StorePagesTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    [Fact]
    public async Task SecretSetThroughTheForm_IsUsedByTheProxy_AndNoPageShowsItsValue()
    {
        var name = Marker();
        var secret = "sk-set-in-the-console-" + Guid.NewGuid().ToString("N");
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/stores");
        using var set = await SetSecretAsync(console, page, name, secret);
        var (vault, token) = await VaultUsingAsync(name);
        using var client = fixture.Environment.CreateClient(token, vault);
        var echo = await client.GetStringAsync(new Uri($"https://api.upstream.test:{fixture.Upstream.Port}/echo/stores/{name}"));

        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/ui/stores", set.Headers.Location?.AbsolutePath);
        Assert.Contains("Bearer " + secret, echo, StringComparison.Ordinal);
        var stores = await console.GetPageAsync("/ui/stores");
        Assert.Contains($"<tr data-secret=\"{name}\">", stores, StringComparison.Ordinal);
        Assert.Contains($"<code>local:{name}</code>", stores, StringComparison.Ordinal);
        var everything = new List<string> { page, stores, await set.Content.ReadAsStringAsync() };
        foreach (var path in new[] { "/ui", "/ui/vaults", $"/ui/vaults/{vault}", "/ui/config", "/ui/config?format=json", "/ui/config/export", "/ui/config/export?format=json" })
        {
            everything.Add(await console.GetPageAsync(path));
        }

        Assert.All(everything, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretWithAnInvalidName_ShowsTheError_AndTheValueIsNotRenderedBack()
    {
        const string secret = "sk-refused-name-must-not-come-back-4c1d";
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/stores");
        using var answer = await SetSecretAsync(console, page, "bad name", secret);
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("data-form-error=\"secrets-local\"", body, StringComparison.Ordinal);
        Assert.Contains("a secret name is 1 to 256 characters", body, StringComparison.Ordinal);
        Assert.Contains("name=\"SecretName\" type=\"text\" required autocomplete=\"off\" spellcheck=\"false\" value=\"bad name\"", body, StringComparison.Ordinal);
        Assert.Contains("<input id=\"secret-value-local\" name=\"SecretValue\" type=\"password\" required autocomplete=\"off\" spellcheck=\"false\" />", body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("bad name", await SecretNamesAsync(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task DeleteSecret_NeedsTheConfirmation_ThenRemovesIt()
    {
        var name = Marker();
        await fixture.Environment.PutSecretsAsync((name, "sk-to-be-deleted"));
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/stores");
        using var unconfirmed = await console.PostFormAsync("/ui/stores", page, new Dictionary<string, string> { ["_handler"] = $"delete-secret-local-{name}" });
        var unconfirmedBody = await unconfirmed.Content.ReadAsStringAsync();
        Assert.Contains(name, await SecretNamesAsync());
        using var deleted = await console.PostFormAsync("/ui/stores", page, new Dictionary<string, string> { ["_handler"] = $"delete-secret-local-{name}", ["Confirm"] = "true" });
        var after = await console.GetPageAsync("/ui/stores");

        Assert.Contains($"Secret {name} was not deleted: tick the box to confirm.", unconfirmedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain(name, await SecretNamesAsync());
        Assert.DoesNotContain($"data-secret=\"{name}\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetSecretPostedWithoutTheAntiforgeryToken_IsRefused_AndStoresNothing()
    {
        var name = Marker();
        using var console = await SignedInAsync();
        await console.GetPageAsync("/ui/stores");

        using var forged = await console.Http.PostAsync("/ui/stores", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "set-secret-local", ["SecretName"] = name, ["SecretValue"] = "sk-forged",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(name, await SecretNamesAsync());
    }

    [Fact]
    public async Task StoresApiAndPages_ShowAClosedCircuit_AndCountAHitAfterTwoProxiedRequests()
    {
        var name = Marker();
        await fixture.Environment.PutSecretsAsync((name, "sk-counted-" + name));
        var (vault, token) = await VaultUsingAsync(name);
        var before = await LocalStoreAsync();
        using var client = fixture.Environment.CreateClient(token, vault);

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(new Uri($"https://api.upstream.test:{fixture.Upstream.Port}/echo/stores/{name}/{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var after = await LocalStoreAsync();
        Assert.Equal("closed", after.GetProperty("circuit").GetString());
        Assert.True(Count(after, "hits") >= Count(before, "hits") + 1, after.ToString());
        Assert.True(Count(after, "misses") >= Count(before, "misses") + 1, after.ToString());
        Assert.True(Count(after, "entries") >= 1, after.ToString());
        Assert.Equal(JsonValueKind.Number, after.GetProperty("cache_stats").GetProperty("stale_serves").ValueKind);
        using var console = await SignedInAsync();
        var stores = await console.GetPageAsync("/ui/stores");
        var overview = await console.GetPageAsync("/ui");
        Assert.Contains("<tr data-store=\"local\" data-status=\"available\" data-circuit=\"closed\"", stores, StringComparison.Ordinal);
        Assert.Contains("<dd data-figure=\"hits\">", stores, StringComparison.Ordinal);
        Assert.Contains("<td data-circuit=\"closed\"><span class=\"badge closed\">closed</span></td>", overview, StringComparison.Ordinal);
        Assert.Contains("hits,", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAction_ShowsOkForTheLocalStore()
    {
        using var console = await SignedInAsync();

        var page = await console.GetPageAsync("/ui/stores");
        using var tested = await console.PostFormAsync("/ui/stores", page, new Dictionary<string, string> { ["_handler"] = "test-local" });
        var body = await tested.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        Assert.Contains("data-test=\"ok\"", body, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge ok\">ok</span>", body, StringComparison.Ordinal);
    }

    private static string Marker() => "st" + Guid.NewGuid().ToString("N")[..10];

    private static long Count(JsonElement store, string figure) => store.GetProperty("cache_stats").GetProperty(figure).GetInt64();

    private static Task<HttpResponseMessage> SetSecretAsync(ConsoleClient console, string page, string name, string value) =>
        console.PostFormAsync("/ui/stores", page, new Dictionary<string, string>
        {
            ["_handler"] = "set-secret-local", ["SecretName"] = name, ["SecretValue"] = value,
        });

    /// <summary>A vault whose credential refers to <c>local:{secret}</c> (bearer on the echo upstream) and an agent's token for it.</summary>
    private async Task<(string Vault, string Token)> VaultUsingAsync(string secret)
    {
        var vault = "v-" + secret;
        var tokens = await fixture.Environment.ApplyAndGetTokensAsync(new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = vault,
                ["credentials"] = new JsonObject { ["STORE_KEY"] = "local:" + secret },
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = "stores", ["host"] = $"api.upstream.test:{fixture.Upstream.Port}/echo/stores/**",
                    ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "STORE_KEY" }, ["redact"] = "off",
                }),
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = "a-" + secret, ["vaults"] = new JsonArray(vault) }),
        });
        return (vault, tokens["a-" + secret]);
    }

    private async Task<List<string>> SecretNamesAsync()
    {
        using var api = fixture.Broker.CreateApiClient();
        var names = await api.GetFromJsonAsync<JsonElement>(new Uri("/v1/stores/local/secrets", UriKind.Relative));
        return [.. names.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)];
    }

    private async Task<JsonElement> LocalStoreAsync()
    {
        using var api = fixture.Broker.CreateApiClient();
        var stores = await api.GetFromJsonAsync<JsonElement>(new Uri("/v1/stores", UriKind.Relative));
        return stores.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "local").Clone();
    }

    private async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(fixture.Broker.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return console;
    }
}
