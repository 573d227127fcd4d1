using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

/// <summary>Compare-and-swap writes on the API: ETag on reads, If-Match on every configuration write, 409 conflict when stale or raced.</summary>
public sealed class ConfigVersionApiTests
{
    private const string Ops = """{ "vaults": [{ "name": "ops", "credentials": { "SPARE": "local:spare" } }] }""";

    public static TheoryData<string, string, string?> Writes => new()
    {
        { "PUT", "v1/stores/extra", """{ "type": "file" }""" },
        { "PUT", "v1/vaults/more", """{ "unmatched": "deny" }""" },
        { "DELETE", "v1/vaults/ops", null },
        { "PUT", "v1/vaults/dev/credentials", """{ "NEW_KEY": "local:new" }""" },
        { "DELETE", "v1/vaults/ops/credentials/SPARE", null },
        { "PUT", "v1/vaults/dev/services", """{ "services": [{ "name": "x", "host": "api.x.test", "auth": { "type": "passthrough" } }] }""" },
        { "DELETE", "v1/vaults/dev/services/telegram", null },
        { "POST", "v1/agents", """{ "name": "aider", "vaults": ["dev"] }""" },
        { "DELETE", "v1/agents/claude", null },
        { "POST", "v1/apply", """{ "vaults": [{ "name": "more" }] }""" },
        { "POST", "v1/apply?prune=true", ConfigJson.Valid },
    };

    [Fact]
    public async Task Reads_ReturnTheConfigurationVersionAsOneETag()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        await host.ApplyAsync(Ops);

        foreach (var path in new[] { "v1/export", "v1/stores", "v1/vaults", "v1/vaults/dev/credentials", "v1/vaults/dev/services", "v1/agents" })
        {
            using var response = await host.Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
            Assert.False(response.Headers.ETag!.IsWeak);
        }
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task WriteWithCurrentIfMatch_SucceedsAndAnswersTheNextETag(string method, string path, string? body)
    {
        await using var host = await StartWithOpsAsync();
        var current = await ExportETagAsync(host);

        using var response = await SendAsync(host, method, path, body, current);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        Assert.Equal("\"3\"", await ExportETagAsync(host));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task WriteWithStaleIfMatch_Is409ConflictWithTheCurrentETagAndChangesNothing(string method, string path, string? body)
    {
        await using var host = await StartWithOpsAsync();
        var saves = host.Metadata.Saves;
        var before = await host.Admin.GetStringAsync("v1/export");

        using var response = await SendAsync(host, method, path, body, "\"1\"");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("conflict", (string?)(await host.ReadJsonAsync(response))!["code"]);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(saves, host.Metadata.Saves);
        Assert.Equal(before, await host.Admin.GetStringAsync("v1/export"));
    }

    [Theory]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("\"0\", \"2\"", HttpStatusCode.OK)]
    [InlineData("W/\"2\"", HttpStatusCode.Conflict)]
    [InlineData("\"abc\"", HttpStatusCode.Conflict)]
    [InlineData("2", HttpStatusCode.BadRequest)]
    [InlineData("\"2", HttpStatusCode.BadRequest)]
    public async Task IfMatchForms_AreComparedStrongly(string ifMatch, HttpStatusCode expected)
    {
        await using var host = await StartWithOpsAsync();

        using var response = await SendAsync(host, "PUT", "v1/vaults/more", "{}", ifMatch);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task TokenWrites_DoNotMoveTheETagSoTheyNeverFailAConfigurationWrite()
    {
        await using var host = await StartWithOpsAsync();
        var read = await ExportETagAsync(host);

        await host.PostJsonAsync(host.Admin, "v1/tokens", new { vault = "dev" }, HttpStatusCode.Created);
        await host.PostJsonAsync(host.Admin, "v1/agents/claude/rotate", new { }, HttpStatusCode.OK);
        await host.PostJsonAsync(host.Admin, "v1/agents/claude/revoke", new { }, HttpStatusCode.OK);

        Assert.Equal(read, await ExportETagAsync(host));
        using var response = await SendAsync(host, "PUT", "v1/vaults/more", "{}", read);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RacedWriteWithoutIfMatch_IsPlannedAgainAndKeepsTheOtherWritersChange()
    {
        await using var host = await StartWithOpsAsync();
        host.Metadata.RaceNextSaves(2, AddVault("other"));

        using var response = await SendAsync(host, "PUT", "v1/vaults/more", "{}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"5\"", response.Headers.ETag?.Tag);
        Assert.Equal(["ops", "dev", "other1", "other2", "more"], await VaultNamesAsync(host));
    }

    [Theory]
    [InlineData("POST", "v1/apply?prune=true", ConfigJson.Valid, null)]
    [InlineData("PUT", "v1/vaults/more", "{}", "\"2\"")]
    public async Task RacedWriteWithPruneOrIfMatch_Is409AndKeepsTheOtherWritersChange(string method, string path, string body, string? ifMatch)
    {
        await using var host = await StartWithOpsAsync();
        host.Metadata.RaceNextSaves(1, AddVault("other"));

        using var response = await SendAsync(host, method, path, body, ifMatch);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        Assert.Equal(["ops", "dev", "other1"], await VaultNamesAsync(host));
    }

    [Fact]
    public async Task WriteThatLosesEveryRace_GivesUpWith409()
    {
        await using var host = await StartWithOpsAsync();
        host.Metadata.RaceNextSaves(ConfigWriter.MaxAttempts, AddVault("other"));

        using var response = await SendAsync(host, "PUT", "v1/vaults/more", "{}", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain("more", await VaultNamesAsync(host));
    }

    private static async Task<ManagementTestHost> StartWithOpsAsync()
    {
        var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        await host.ApplyAsync(Ops);
        return host;
    }

    /// <summary>Another writer's edit: adds a vault named <paramref name="prefix"/>1, then <paramref name="prefix"/>2, ….</summary>
    private static Func<ConfigDocument, ConfigDocument> AddVault(string prefix)
    {
        var count = 0;
        return document => document with { Vaults = [.. document.Vaults ?? [], new VaultDefinition { Name = prefix + ++count }] };
    }

    private static async Task<string?> ExportETagAsync(ManagementTestHost host)
    {
        using var response = await host.Admin.GetAsync("v1/export");
        return response.Headers.ETag?.Tag;
    }

    private static async Task<List<string>> VaultNamesAsync(ManagementTestHost host) =>
        [.. JsonNode.Parse(await host.Admin.GetStringAsync("v1/export"))!["vaults"]!.AsArray().Select(v => (string)v!["name"]!)];

    private static async Task<HttpResponseMessage> SendAsync(ManagementTestHost host, string method, string path, string? body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = ManagementTestHost.Json(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await host.Admin.SendAsync(request);
    }
}
