using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Tests.Management;

public sealed class ApplyApiTests
{
    [Fact]
    public async Task ApplyExportApply_SecondApplyChangesNothing()
    {
        await using var host = await ManagementTestHost.StartAsync();

        var first = await host.ApplyAsync(ConfigJson.Valid);
        Assert.Contains("service/dev/github", first["created"]!.AsArray().Select(n => (string?)n));
        var token = Assert.Single(first["tokens"]!.AsArray());
        Assert.Equal("claude", (string?)token!["agent"]);
        Assert.StartsWith("avt_", (string?)token["token"], StringComparison.Ordinal);

        var exported = await host.Admin.GetStringAsync("v1/export");
        Assert.DoesNotContain("avt_", exported, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ConfigJson.Valid), JsonNode.Parse(exported)), exported);
        var saves = host.Metadata.Saves;

        var second = await host.ApplyAsync(exported);

        Assert.Empty(second["created"]!.AsArray());
        Assert.Empty(second["updated"]!.AsArray());
        Assert.Empty(second["deleted"]!.AsArray());
        Assert.Empty(second["tokens"]!.AsArray());
        Assert.Equal(saves, host.Metadata.Saves);
    }

    [Fact]
    public async Task Apply_MakesTheNewStateVisibleAtOnce()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        Assert.Equal("dev", host.Metadata.Current.Config.Vaults![0].Name);
        Assert.Single(host.Metadata.Current.Tokens);
    }

    [Fact]
    public async Task InvalidDocument_Returns400WithEveryErrorAndSavesNothing()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var json = ConfigJson.Edit(ConfigJson.Valid, "vaults[0].services[1].host", "\"10.1.2.3\"");
        json = ConfigJson.Edit(json, "stores[1].settings.auth.secret_id", "\"hunter2-raw\"");

        using var response = await host.Admin.PostAsync("v1/apply", ManagementTestHost.Json(json));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("validation_failed", (string?)body["code"]);
        Assert.Equal("2 problems", (string?)body["detail"]);
        var paths = body["errors"]!.AsArray().Select(e => (string?)e!["path"]).ToList();
        Assert.Equal(["stores[1].settings.auth.secret_id", "vaults[0].services[1].host"], paths.Order(StringComparer.Ordinal));
        Assert.Equal(0, host.Metadata.Saves);
    }

    [Fact]
    public async Task DocumentWhoseSnapshotCannotBeBuilt_Returns400WithEveryErrorAndSavesNothing()
    {
        // Valid to the validator, but the scheme's plugin throws when the runtime snapshot is built (SPEC §11).
        await using var host = await ManagementTestHost.StartAsync();
        var json = ConfigJson.Edit(ConfigJson.Valid, "vaults[0].services[0].auth", """{ "type": "exploding" }""");
        json = ConfigJson.Edit(json, "vaults[0].services[1].auth", """{ "type": "exploding" }""");

        using var response = await host.Admin.PostAsync("v1/apply", ManagementTestHost.Json(json));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("validation_failed", (string?)body["code"]);
        var paths = body["errors"]!.AsArray().Select(e => (string?)e!["path"]).ToList();
        Assert.Equal(["vaults[0].services[0].auth", "vaults[0].services[1].auth"], paths.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("test plugin failure", text, StringComparison.Ordinal);
        Assert.Equal(0, host.Metadata.Saves);
    }

    [Fact]
    public async Task ApplyReferringToExistingStore_IsAccepted()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync("""{ "stores": [ { "name": "local", "type": "file" } ] }""");

        var answer = await host.ApplyAsync("""{ "vaults": [ { "name": "v", "credentials": { "K": "local:k" } } ] }""");

        Assert.Equal(["vault/v", "credential/v/K"], answer["created"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task PruneDeletingAnAgent_RevokesItsTokens()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var withoutAgents = ConfigJson.Edit(ConfigJson.Valid, "agents", "[]");

        var answer = await host.ApplyAsync(withoutAgents, prune: true);

        Assert.Equal(["agent/claude"], answer["deleted"]!.AsArray().Select(n => (string?)n));
        var tokens = JsonNode.Parse(await host.Admin.GetStringAsync("v1/tokens"))!.AsArray();
        Assert.NotNull((string?)Assert.Single(tokens)!["revoked_at"]);
    }

    [Theory]
    [InlineData("{ not json", "not valid")]
    [InlineData("", "not valid")]
    [InlineData("{ \"stores\": [], \"surprise\": 1 }", "surprise")]
    [InlineData("{ \"vaults\": [ { \"unmatched\": \"deny\" } ] }", "name")]
    [InlineData("null", "empty or null")]
    public async Task MalformedBody_Returns400BadRequest(string body, string reason)
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var response = await host.Admin.PostAsync("v1/apply", ManagementTestHost.Json(body));
        var problem = await host.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (string?)problem!["code"]);
        Assert.Contains(reason, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPruneValue_Returns400Problem()
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var response = await host.Admin.PostAsync("v1/apply?prune=maybe", ManagementTestHost.Json("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (string?)(await host.ReadJsonAsync(response))!["code"]);
    }
}
