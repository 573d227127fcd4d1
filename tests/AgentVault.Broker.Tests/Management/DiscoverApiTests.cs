using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Tests.Management;

public sealed class DiscoverApiTests
{
    [Fact]
    public async Task AgentToken_GetsProxyUrlVaultServicesAndKeyNamesOnly()
    {
        await using var host = await ManagementTestHost.StartAsync();
        var token = (string)(await host.ApplyAsync(ConfigJson.Valid))["tokens"]![0]!["token"]!;
        using var client = AgentTokenApiTests.AgentClient(host, token);

        var text = await client.GetStringAsync("v1/discover");
        var body = JsonNode.Parse(text)!;

        Assert.Equal($"http://127.0.0.1:{host.ProxyPort}", (string?)body["proxy_url"]);
        Assert.Equal("dev", (string?)body["vault"]);
        Assert.Equal(["github", "telegram"], body["services"]!.AsArray().Select(s => (string?)s!["name"]));
        Assert.Equal("api.github.com", (string?)body["services"]![0]!["host"]);
        Assert.Equal(["GITHUB_TOKEN", "TG_TOKEN"], body["credentials"]!.AsArray().Select(s => (string?)s));
        Assert.DoesNotContain("hcv:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("local:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicProxyUrl_WinsOverTheDerivedOne()
    {
        await using var host = await ManagementTestHost.StartAsync(publicProxyUrl: "http://proxy.example.internal:8080/");
        var token = (string)(await host.ApplyAsync(ConfigJson.Valid))["tokens"]![0]!["token"]!;
        using var client = AgentTokenApiTests.AgentClient(host, token);

        var body = JsonNode.Parse(await client.GetStringAsync("v1/discover"))!;

        Assert.Equal("http://proxy.example.internal:8080", (string?)body["proxy_url"]);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest, null)]
    [InlineData("dev", HttpStatusCode.OK, "dev")]
    [InlineData("ops", HttpStatusCode.OK, "ops")]
    [InlineData("secret-vault", HttpStatusCode.NotFound, null)]
    [InlineData("nope", HttpStatusCode.NotFound, null)]
    public async Task AgentWithSeveralVaults_ChoosesWithQuery(string? vault, HttpStatusCode expected, string? chosen)
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        await host.ApplyAsync("""{ "vaults": [ { "name": "ops" }, { "name": "secret-vault" } ] }""");
        var token = (string)(await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "multi", vaults = new[] { "dev", "ops" } }, HttpStatusCode.Created))["token"]!;
        using var client = AgentTokenApiTests.AgentClient(host, token);

        using var response = await client.GetAsync(vault is null ? "v1/discover" : $"v1/discover?vault={vault}");

        Assert.Equal(expected, response.StatusCode);
        if (chosen is not null)
        {
            Assert.Equal(chosen, (string?)(await host.ReadJsonAsync(response))!["vault"]);
        }
    }

    [Fact]
    public async Task ScopedToken_IsLimitedToItsVault()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        await host.ApplyAsync("""{ "vaults": [ { "name": "ops" } ] }""");
        var scoped = (string)(await host.PostJsonAsync(host.Admin, "v1/tokens", new { vault = "ops" }, HttpStatusCode.Created))["token"]!;
        using var client = AgentTokenApiTests.AgentClient(host, scoped);

        Assert.Equal("ops", (string?)JsonNode.Parse(await client.GetStringAsync("v1/discover"))!["vault"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("v1/discover?vault=dev")).StatusCode);
    }

    [Fact]
    public async Task AdminToken_IsNotAnAgentToken()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Admin.GetAsync("v1/discover")).StatusCode);
    }
}
