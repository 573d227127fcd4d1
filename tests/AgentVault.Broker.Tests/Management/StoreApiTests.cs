using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Tests.Management.Fakes;

namespace AgentVault.Broker.Tests.Management;

public sealed class StoreApiTests
{
    [Fact]
    public async Task ListStores_ShowsAvailabilityAndReason()
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Registry.Stores["local"] = new FakeSecretStore();
        await host.ApplyAsync(ConfigJson.Valid);

        var stores = JsonNode.Parse(await host.Admin.GetStringAsync("v1/stores"))!.AsArray();

        Assert.Equal("available", (string?)stores[0]!["status"]);
        Assert.Null((string?)stores[0]!["error"]);
        Assert.Equal("unavailable", (string?)stores[1]!["status"]);
        Assert.Contains("no loaded plugin", (string?)stores[1]!["error"], StringComparison.Ordinal);
        Assert.Equal("env:VAULT_SECRET_ID", (string?)stores[1]!["settings"]!["auth"]!["secret_id"]);
    }

    [Fact]
    public async Task ListStores_ShowsCircuitStateAndCacheStatsBesideTheCacheSettings()
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Registry.Stores["local"] = new FakeSecretStore();
        host.Statistics.Stores["hcv"] = new StoreStatistics(CircuitState.HalfOpen, new StoreCacheStats(2, 7, 3, 1));
        await host.ApplyAsync(ConfigJson.Valid);

        var stores = JsonNode.Parse(await host.Admin.GetStringAsync("v1/stores"))!.AsArray();

        Assert.Equal("closed", (string?)stores[0]!["circuit"]);
        Assert.Equal("""{"entries":0,"hits":0,"misses":0,"stale_serves":0}""", stores[0]!["cache_stats"]!.ToJsonString());
        Assert.Equal("half_open", (string?)stores[1]!["circuit"]);
        Assert.Equal("""{"entries":2,"hits":7,"misses":3,"stale_serves":1}""", stores[1]!["cache_stats"]!.ToJsonString());
        Assert.True(stores[1]!.AsObject().ContainsKey("cache"));
    }

    [Fact]
    public async Task PutStore_CreatesThenReplaces()
    {
        await using var host = await ManagementTestHost.StartAsync();

        using var created = await host.Admin.PutAsync("v1/stores/hcv", ManagementTestHost.Json("""{ "type": "fake", "settings": { "address": "https://a" } }"""));
        using var replaced = await host.Admin.PutAsync("v1/stores/hcv", ManagementTestHost.Json("""{ "type": "fake", "settings": { "address": "https://b" }, "cache": { "ttl": "10s" } }"""));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var store = Assert.Single(host.Metadata.Current.Config.Stores!);
        Assert.Equal("https://b", (string?)store.Settings!["address"]);
        Assert.Equal("10s", store.Cache!.Ttl);
    }

    [Fact]
    public async Task PutStoreWithRawSecret_ErrorPathPointsIntoTheBodyAndHidesTheValue()
    {
        await using var host = await ManagementTestHost.StartAsync();

        using var response = await host.Admin.PutAsync("v1/stores/hcv", ManagementTestHost.Json("""{ "type": "fake", "settings": { "address": "https://a", "api_key": "sk-live-123456" } }"""));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("sk-live", text, StringComparison.Ordinal);
        Assert.Equal("settings.api_key", (string?)Assert.Single(JsonNode.Parse(text)!["errors"]!.AsArray())!["path"]);
    }

    [Fact]
    public async Task DeleteStore_RefusedWhileReferencedThenAllowed()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var refused = await host.Admin.DeleteAsync("v1/stores/hcv");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("dev/GITHUB_TOKEN", (string?)(await host.ReadJsonAsync(refused))!["detail"], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PutAsync("v1/stores/extra", ManagementTestHost.Json("{ \"type\": \"file\" }"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync("v1/stores/extra")).StatusCode);
        Assert.Equal(["local", "hcv"], host.Metadata.Current.Config.Stores!.Select(s => s.Name));
    }

    [Fact]
    public async Task DeleteUnknownStore_Returns404()
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var response = await host.Admin.DeleteAsync("v1/stores/ghost");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("connection refused by vault.internal", false, "connection refused by vault.internal")]
    public async Task TestStore_ReportsOkOrTheStoreError(string? failure, bool ok, string? error)
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Registry.Stores["local"] = new FakeSecretStore { TestError = failure };
        await host.ApplyAsync(ConfigJson.Valid);

        var body = await host.PostJsonAsync(host.Admin, "v1/stores/local/test", new { }, HttpStatusCode.OK);

        Assert.Equal(ok, (bool)body["ok"]!);
        Assert.Equal(error, (string?)body["error"]);
    }

    [Fact]
    public async Task TestUnavailableStore_ReportsTheReason()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        var body = await host.PostJsonAsync(host.Admin, "v1/stores/hcv/test", new { }, HttpStatusCode.OK);

        Assert.False((bool)body["ok"]!);
        Assert.Contains("no loaded plugin", (string?)body["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_SetListDeleteWithoutEverReturningValues()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var store = new FakeSecretStore();
        host.Registry.Stores["local"] = store;
        await host.ApplyAsync(ConfigJson.Valid);

        using var put = await host.Admin.PutAsync("v1/stores/local/secrets/openai", ManagementTestHost.Json("""{ "value": "sk-very-secret" }"""));
        var list = await host.Admin.GetStringAsync("v1/stores/local/secrets");
        using var deleted = await host.Admin.DeleteAsync("v1/stores/local/secrets/openai");
        using var again = await host.Admin.DeleteAsync("v1/stores/local/secrets/openai");

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("""{"names":["openai"]}""", list);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(store.Values);
    }

    [Theory]
    [InlineData("hcv", HttpStatusCode.BadGateway, "store_unavailable")]
    [InlineData("ro", HttpStatusCode.Conflict, "conflict")]
    [InlineData("ghost", HttpStatusCode.NotFound, "not_found")]
    public async Task Secrets_OnStoresThatCannotBeWritten_AreRefused(string store, HttpStatusCode status, string code)
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Registry.Stores["ro"] = new ReadOnlySecretStore();
        await host.ApplyAsync(ConfigJson.Edit(ConfigJson.Valid, "stores[0]", """{ "name": "ro", "type": "file" }""").Replace("local:telegram", "ro:telegram", StringComparison.Ordinal));

        using var response = await host.Admin.GetAsync($"v1/stores/{store}/secrets");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)(await host.ReadJsonAsync(response))!["code"]);
    }

    [Theory]
    [InlineData("""{ "value": 5 }""")]
    [InlineData("""{ }""")]
    [InlineData("""{ "value": "sk-oops""")]
    public async Task BadSecretBody_Returns400WithoutEchoingIt(string body)
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Registry.Stores["local"] = new FakeSecretStore();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PutAsync("v1/stores/local/secrets/x", ManagementTestHost.Json(body));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("sk-oops", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugins_AreListedWithStatusAndError()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var plugins = JsonNode.Parse(await host.Admin.GetStringAsync("v1/plugins"))!.AsArray();

        Assert.Equal(["builtin", "Broken"], plugins.Select(p => (string?)p!["name"]));
        Assert.Equal("failed", (string?)plugins[1]!["status"]);
        Assert.Equal("could not load Broken.dll", (string?)plugins[1]!["error"]);
        Assert.Equal(["bearer", "basic", "passthrough"], plugins[0]!["auth_schemes"]!.AsArray().Select(s => (string?)s));
        Assert.True(plugins[0]!.AsObject().ContainsKey("error"));
    }
}
