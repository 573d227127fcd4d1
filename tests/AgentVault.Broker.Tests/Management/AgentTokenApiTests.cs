using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Tests.Management;

public sealed class AgentTokenApiTests
{
    [Fact]
    public async Task CreateAgent_Returns201WithTokenStoredOnlyAsHash()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        var created = await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "bot", vaults = new[] { "dev" }, ttl = "1h" }, HttpStatusCode.Created);

        var token = (string)created["token"]!;
        Assert.Matches("^avt_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal("bot", (string?)created["name"]);
        Assert.StartsWith("tok_", (string?)created["token_id"], StringComparison.Ordinal);
        Assert.NotNull((string?)created["expires_at"]);
        var record = Assert.Single(host.Metadata.Current.Tokens, t => t.Agent == "bot");
        Assert.Equal(Broker.Security.TokenHasher.Hash(token), record.Hash);
        Assert.DoesNotContain(token, await host.Admin.GetStringAsync("v1/tokens"), StringComparison.Ordinal);
        Assert.DoesNotContain(record.Hash, await host.Admin.GetStringAsync("v1/tokens"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"name\": \"claude\", \"vaults\": [\"dev\"] }", HttpStatusCode.Conflict, "conflict")]
    [InlineData("{ \"name\": \"x\", \"vaults\": [\"nope\"] }", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("{ \"name\": \"Bad Name\", \"vaults\": [\"dev\"] }", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("{ \"name\": \"x\", \"vaults\": [\"dev\"], \"ttl\": \"forever\" }", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("{ \"vaults\": [\"dev\"] }", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("{ \"name\": \"x\", \"vaults\": \"dev\" }", HttpStatusCode.BadRequest, "bad_request")]
    public async Task BadAgentCreate_IsRefused(string body, HttpStatusCode status, string code)
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PostAsync("v1/agents", ManagementTestHost.Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string?)(await host.ReadJsonAsync(response))!["code"]);
    }

    [Fact]
    public async Task BadAgentVault_ErrorPathPointsIntoTheBody()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PostAsync("v1/agents", ManagementTestHost.Json("{ \"name\": \"x\", \"vaults\": [\"dev\", \"nope\"] }"));

        var error = Assert.Single((await host.ReadJsonAsync(response))!["errors"]!.AsArray());
        Assert.Equal("vaults[1]", (string?)error!["path"]);
    }

    [Fact]
    public async Task Rotate_RevokesOldTokenAndIssuesNewOne()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var old = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "bot", vaults = new[] { "dev" } }, HttpStatusCode.Created))["token"]!;
        Assert.Equal(HttpStatusCode.OK, await DiscoverStatusAsync(host, old));

        using var rotate = await host.Admin.PostAsync("v1/agents/bot/rotate", null);
        var fresh = (string)(await host.ReadJsonAsync(rotate))!["token"]!;

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, await DiscoverStatusAsync(host, old));
        Assert.Equal(HttpStatusCode.OK, await DiscoverStatusAsync(host, fresh));
    }

    [Fact]
    public async Task Revoke_StopsEveryTokenOfTheAgentAtOnce()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var token = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "bot", vaults = new[] { "dev" }, can_mint = true }, HttpStatusCode.Created))["token"]!;
        using var agent = AgentClient(host, token);
        var scoped = (string)(await host.PostJsonAsync(agent, "v1/tokens", new { vault = "dev" }, HttpStatusCode.Created))["token"]!;

        var answer = await host.PostJsonAsync(host.Admin, "v1/agents/bot/revoke", new { }, HttpStatusCode.OK);

        Assert.Equal(2, (int?)answer["revoked"]);
        Assert.Equal(HttpStatusCode.Unauthorized, await DiscoverStatusAsync(host, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await DiscoverStatusAsync(host, scoped));
        Assert.All(host.Metadata.Current.Tokens.Where(t => t.Agent == "bot"), t => Assert.NotNull(t.RevokedAt));
    }

    [Fact]
    public async Task DeleteAgent_RemovesItAndRevokesTokens()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var token = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "bot", vaults = new[] { "dev" } }, HttpStatusCode.Created))["token"]!;

        using var response = await host.Admin.DeleteAsync("v1/agents/bot");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await DiscoverStatusAsync(host, token));
        var agents = JsonNode.Parse(await host.Admin.GetStringAsync("v1/agents"))!.AsArray();
        Assert.Equal(["claude"], agents.Select(a => (string?)a!["name"]));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.DeleteAsync("v1/agents/bot")).StatusCode);
    }

    [Fact]
    public async Task ListAgents_ShowsVaultsMintRightAndLiveTokenCount()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        var agent = Assert.Single(JsonNode.Parse(await host.Admin.GetStringAsync("v1/agents"))!.AsArray())!;

        Assert.Equal("claude", (string?)agent["name"]);
        Assert.Equal(["dev"], agent["vaults"]!.AsArray().Select(v => (string?)v));
        Assert.True((bool)agent["can_mint"]!);
        Assert.Equal(1, (int?)agent["tokens"]);
        Assert.NotNull((string?)agent["created_at"]);
    }

    [Fact]
    public async Task AdminMint_DefaultsTo15MinutesAndListsWithoutSecrets()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        var minted = await host.PostJsonAsync(host.Admin, "v1/tokens", new { vault = "dev", label = "sandbox-1" }, HttpStatusCode.Created);

        Assert.Equal("dev", (string?)minted["vault"]);
        var listed = JsonNode.Parse(await host.Admin.GetStringAsync("v1/tokens"))!.AsArray().Single(t => (string?)t!["id"] == (string?)minted["id"])!;
        Assert.Equal("scoped", (string?)listed["kind"]);
        Assert.Equal("sandbox-1", (string?)listed["label"]);
        Assert.Equal("(admin)", (string?)listed["agent"]);
        Assert.Null(listed["hash"]);
        Assert.Null(listed["token"]);
        Assert.Equal(TimeSpan.FromMinutes(15), DateTimeOffset.Parse((string)listed["expires_at"]!) - DateTimeOffset.Parse((string)listed["created_at"]!));
    }

    [Theory]
    [InlineData("{ \"vault\": \"dev\", \"ttl\": \"31d\" }", HttpStatusCode.BadRequest)]
    [InlineData("{ \"vault\": \"dev\", \"ttl\": \"0\" }", HttpStatusCode.BadRequest)]
    [InlineData("{ \"ttl\": \"1h\" }", HttpStatusCode.BadRequest)]
    [InlineData("{ \"vault\": \"nope\" }", HttpStatusCode.NotFound)]
    [InlineData("{ \"vault\": \"dev\", \"agent\": \"ghost\" }", HttpStatusCode.NotFound)]
    [InlineData("{ \"vault\": \"dev\", \"ttl\": \"30d\", \"agent\": \"claude\" }", HttpStatusCode.Created)]
    public async Task AdminMint_ChecksItsInput(string body, HttpStatusCode expected)
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PostAsync("v1/tokens", ManagementTestHost.Json(body));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AgentMint_NeedsCanMintAndTheVault()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PutAsync("v1/vaults/other", ManagementTestHost.Json("{}"))).StatusCode);
        var minter = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "minter", vaults = new[] { "dev" }, can_mint = true }, HttpStatusCode.Created))["token"]!;
        var plain = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "plain", vaults = new[] { "dev" } }, HttpStatusCode.Created))["token"]!;
        using var minterClient = AgentClient(host, minter);
        using var plainClient = AgentClient(host, plain);

        var scoped = await host.PostJsonAsync(minterClient, "v1/tokens", new { vault = "dev", ttl = "5m" }, HttpStatusCode.Created);
        using var scopedClient = AgentClient(host, (string)scoped["token"]!);

        await host.PostJsonAsync(minterClient, "v1/tokens", new { vault = "other" }, HttpStatusCode.Forbidden);
        await host.PostJsonAsync(minterClient, "v1/tokens", new { vault = "dev", agent = "plain" }, HttpStatusCode.Forbidden);
        await host.PostJsonAsync(plainClient, "v1/tokens", new { vault = "dev" }, HttpStatusCode.Forbidden);
        await host.PostJsonAsync(scopedClient, "v1/tokens", new { vault = "dev" }, HttpStatusCode.Forbidden);
        Assert.Equal("minter", host.Metadata.Current.Tokens.Single(t => t.Id == (string?)scoped["id"]).Agent);
    }

    [Fact]
    public async Task AgentMint_NeverOutlivesTheMintingToken()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var created = await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "short", vaults = new[] { "dev" }, can_mint = true, ttl = "10m" }, HttpStatusCode.Created);
        using var client = AgentClient(host, (string)created["token"]!);

        var scoped = await host.PostJsonAsync(client, "v1/tokens", new { vault = "dev", ttl = "1d" }, HttpStatusCode.Created);

        Assert.Equal(DateTimeOffset.Parse((string)created["expires_at"]!), DateTimeOffset.Parse((string)scoped["expires_at"]!));
    }

    [Fact]
    public async Task DeleteToken_RevokesIt()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var minted = await host.PostJsonAsync(host.Admin, "v1/tokens", new { vault = "dev" }, HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, await DiscoverStatusAsync(host, (string)minted["token"]!));

        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync($"v1/tokens/{minted["id"]}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await DiscoverStatusAsync(host, (string)minted["token"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.DeleteAsync("v1/tokens/tok_unknown")).StatusCode);
    }

    internal static HttpClient AgentClient(ManagementTestHost host, string token)
    {
        var client = new HttpClient { BaseAddress = host.Api };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<HttpStatusCode> DiscoverStatusAsync(ManagementTestHost host, string token)
    {
        using var client = AgentClient(host, token);
        using var response = await client.GetAsync("v1/discover");
        return response.StatusCode;
    }
}
