using System.Net;
using System.Net.Http.Headers;

namespace AgentVault.Broker.Tests.Management;

public sealed class ManagementAuthTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    public static TheoryData<string, string, string?> Cases()
    {
        var data = new TheoryData<string, string, string?>();
        string[] routes = ["GET /v1/stores", "GET /v1/export", "POST /v1/apply", "GET /v1/agents", "GET /v1/tokens", "DELETE /v1/tokens/tok_x",
            "GET /v1/plugins", "GET /v1/logs", "PUT /v1/vaults/dev", "POST /v1/stores/x/test", "GET /v1/no-such-thing", "GET /v1/discover", "POST /v1/tokens"];
        string?[] headers = [null, "Bearer ava_wrong", "Basic " + Convert.ToBase64String("admin:x"u8), "Bearer ", "Bearer avt_unknownagenttoken"];
        foreach (var route in routes)
        {
            var parts = route.Split(' ');
            foreach (var header in headers)
            {
                data.Add(parts[0], parts[1], header);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MissingOrBadToken_Returns401Problem(string method, string path, string? authorization)
    {
        var host = fixture.Host;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = ManagementTestHost.Json("{}");
        }

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var body = await host.ReadJsonAsync(response);
        Assert.Equal("unauthorized", (string?)body!["code"]);
        Assert.Equal(401, (int?)body["status"]);
        Assert.Equal("https://agent-vault.dev/errors/unauthorized", (string?)body["type"]);
    }

    [Fact]
    public async Task AgentToken_IsNotAnAdminToken()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        var created = await host.PostJsonAsync(host.Admin, "v1/agents", new { name = "bot", vaults = new[] { "dev" } }, HttpStatusCode.Created);

        using var client = new HttpClient { BaseAddress = host.Api };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["token"]!);
        using var response = await client.GetAsync("v1/export");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UnknownResource_WithAdminToken_Returns404Problem()
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var response = await host.Admin.GetAsync("v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string?)(await host.ReadJsonAsync(response))!["code"]);
    }
}
