using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Tests.Management;

public sealed class VaultApiTests
{
    [Fact]
    public async Task PutVault_CreatesAndUpdatesKeepingContents()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var created = await host.Admin.PutAsync("v1/vaults/ops", ManagementTestHost.Json("""{ "unmatched": "passthrough" }"""));
        using var updated = await host.Admin.PutAsync("v1/vaults/dev", ManagementTestHost.Json("""{ "unmatched": "passthrough" }"""));
        var list = JsonNode.Parse(await host.Admin.GetStringAsync("v1/vaults"))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("""{"name":"dev","unmatched":"passthrough","credentials":2,"services":2}""", list[0]!.ToJsonString());
        Assert.Equal("""{"name":"ops","unmatched":"passthrough","credentials":0,"services":0}""", list[1]!.ToJsonString());
    }

    [Theory]
    [InlineData("Bad_Name", """{ }""", "name")]
    [InlineData("ops", """{ "unmatched": "allow" }""", "unmatched")]
    public async Task PutBadVault_ReportsBodyRelativePath(string name, string body, string path)
    {
        await using var host = await ManagementTestHost.StartAsync();

        using var response = await host.Admin.PutAsync($"v1/vaults/{name}", ManagementTestHost.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(path, (string?)(await host.ReadJsonAsync(response))!["errors"]![0]!["path"]);
    }

    [Fact]
    public async Task DeleteVault_RefusedWhileGrantedToAnAgent()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var refused = await host.Admin.DeleteAsync("v1/vaults/dev");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync("v1/agents/claude")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync("v1/vaults/dev")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.DeleteAsync("v1/vaults/dev")).StatusCode);
    }

    [Fact]
    public async Task Credentials_MergeGetDeleteAndCheck()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var put = await host.Admin.PutAsync("v1/vaults/dev/credentials", ManagementTestHost.Json("""{ "OPENAI": "local:openai", "TG_TOKEN": "local:tg2" }"""));
        var map = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"GITHUB_TOKEN":"hcv:secret/data/github#token","TG_TOKEN":"local:tg2","OPENAI":"local:openai"}""", map.ToJsonString());
        Assert.Equal(map.ToJsonString(), JsonNode.Parse(await host.Admin.GetStringAsync("v1/vaults/dev/credentials"))!.ToJsonString());

        host.Checker.Failing.Add("OPENAI");
        var check = await host.PostJsonAsync(host.Admin, "v1/vaults/dev/credentials/check", new { }, HttpStatusCode.OK);
        var lines = check.AsArray();
        Assert.Equal(["GITHUB_TOKEN", "TG_TOKEN", "OPENAI"], lines.Select(l => (string?)l!["key"]));
        Assert.Equal([true, true, false], lines.Select(l => (bool)l!["ok"]!));
        Assert.Null((string?)lines[0]!["error"]);
        Assert.True(lines[0]!.AsObject().ContainsKey("error"));
        Assert.Equal("store 'local': no secret for OPENAI", (string?)lines[2]!["error"]);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync("v1/vaults/dev/credentials/OPENAI")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.DeleteAsync("v1/vaults/dev/credentials/OPENAI")).StatusCode);
    }

    [Fact]
    public async Task DeletingACredentialAServiceUses_IsRefused()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.DeleteAsync("v1/vaults/dev/credentials/GITHUB_TOKEN");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("services[0].auth.token", (string?)(await host.ReadJsonAsync(response))!["errors"]![0]!["path"]);
    }

    [Fact]
    public async Task PutCredentials_BadReference_IsRefusedWithItsKey()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PutAsync("v1/vaults/dev/credentials", ManagementTestHost.Json("""{ "STRIPE": "aws:prod/stripe" }"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("credentials.STRIPE", (string?)(await host.ReadJsonAsync(response))!["errors"]![0]!["path"]);
    }

    [Fact]
    public async Task Services_UpsertKeepsOrderAndDeletes()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var body = """
            { "services": [
              { "name": "anthropic", "host": "api.anthropic.com", "auth": { "type": "bearer", "token": "GITHUB_TOKEN" } },
              { "name": "github", "host": "api.github.com", "auth": { "type": "passthrough" }, "enabled": false }
            ] }
            """;

        using var put = await host.Admin.PutAsync("v1/vaults/dev/services", ManagementTestHost.Json(body));
        var services = JsonNode.Parse(await host.Admin.GetStringAsync("v1/vaults/dev/services"))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(["github", "telegram", "anthropic"], services.Select(s => (string?)s!["name"]));
        Assert.False((bool)services[0]!["enabled"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync("v1/vaults/dev/services/anthropic")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.DeleteAsync("v1/vaults/dev/services/anthropic")).StatusCode);
    }

    [Fact]
    public async Task Services_ErrorsNameTheBodyIndex()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var body = """
            { "services": [
              { "name": "github", "host": "api.github.com", "auth": { "type": "passthrough" } },
              { "name": "bad", "host": "[::1]:443", "auth": { "type": "passthrough" } }
            ] }
            """;

        using var response = await host.Admin.PutAsync("v1/vaults/dev/services", ManagementTestHost.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await host.ReadJsonAsync(response))!["errors"]!.AsArray())!;
        Assert.Equal("services[1].host", (string?)error["path"]);
    }

    [Theory]
    [InlineData("GET", "v1/vaults/ghost/credentials")]
    [InlineData("GET", "v1/vaults/ghost/services")]
    [InlineData("POST", "v1/vaults/ghost/credentials/check")]
    [InlineData("DELETE", "v1/vaults/ghost/services/x")]
    [InlineData("DELETE", "v1/vaults/ghost/credentials/X")]
    public async Task UnknownVault_Returns404(string method, string path)
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await host.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
