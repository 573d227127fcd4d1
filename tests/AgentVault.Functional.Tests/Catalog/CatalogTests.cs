using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Catalog;

/// <summary>The service catalog through the real broker: the API and CLI for admin and agent tokens, and catalog services used through the proxy.</summary>
public sealed class CatalogTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task CatalogList_CliWithAdminToken_ListsTheTemplates()
    {
        var json = CliAssert.Json(await fixture.Broker.Process.Cli.RunAsync("catalog", "list", "--json"));
        var table = CliAssert.Ok(await fixture.Broker.Process.Cli.RunAsync("catalog", "list"));

        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Count >= 30, $"{items.Count} templates");
        var s3 = Assert.Single(items, i => i.GetProperty("id").GetString() == "aws-s3");
        Assert.Equal("aws-sigv4", s3.GetProperty("auth").GetString());
        Assert.Contains(s3.GetProperty("docs").EnumerateArray(), d => d.GetString()!.StartsWith("https://docs.aws.amazon.com/", StringComparison.Ordinal));
        Assert.Contains(table.Lines, l => l.StartsWith("telegram", StringComparison.Ordinal) && l.Contains("passthrough", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CatalogListAndShow_CliWithAgentToken_Work()
    {
        var cli = fixture.AgentCli(fixture.AgentToken);

        var list = CliAssert.Json(await cli.RunAsync("catalog", "list", "--json"));
        var show = CliAssert.Json(await cli.RunAsync("catalog", "show", "telegram", "--json"));
        var text = CliAssert.Ok(await cli.RunAsync("catalog", "show", "github"));

        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == "openai");
        var substitution = show.GetProperty("services")[0].GetProperty("substitutions")[0];
        Assert.Equal("__telegram_bot_token__", substitution.GetProperty("placeholder").GetString());
        Assert.Equal("TELEGRAM_BOT_TOKEN", substitution.GetProperty("key").GetString());
        Assert.Contains("github-git", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("--from-catalog github --credential GITHUB_TOKEN=REF", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogList_CliWithUnknownToken_FailsWith401()
    {
        var result = CliAssert.Failed(await fixture.AgentCli("avt_" + new string('x', 43)).RunAsync("catalog", "list"));

        Assert.Contains("the broker refused the token from AGENT_VAULT_TOKEN: it is not a valid token for this broker", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogShow_UnknownId_FailsWithNotFound()
    {
        var result = CliAssert.Failed(await fixture.Broker.Process.Cli.RunAsync("catalog", "show", "no-such-api"));

        Assert.Contains("no template 'no-such-api'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "v1/catalog", 200)]
    [InlineData("agent", "v1/catalog", 200)]
    [InlineData("none", "v1/catalog", 401)]
    [InlineData("bogus", "v1/catalog", 401)]
    [InlineData("admin", "v1/catalog/openai", 200)]
    [InlineData("agent", "v1/catalog/stripe", 200)]
    [InlineData("none", "v1/catalog/openai", 401)]
    [InlineData("agent", "v1/catalog/no-such-api", 404)]
    public async Task CatalogApi_AnswersAdminAndAgentTokensOnly(string token, string path, int status)
    {
        using var client = fixture.Broker.Process.CreateApiClient(admin: token == "admin");
        if (token is "agent" or "bogus")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token == "agent" ? fixture.AgentToken : "avt_" + new string('y', 43));
        }

        using var response = await client.GetAsync(path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 200)
        {
            Assert.True(path.EndsWith("catalog", StringComparison.Ordinal) ? body.RootElement.GetProperty("items").GetArrayLength() >= 30 : body.RootElement.GetProperty("docs").GetArrayLength() > 0);
        }
        else
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(status == 401 ? "unauthorized" : "not_found", body.RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task FromCatalog_OpenAi_InjectsTheKeyThroughTheProxy_AndASecondAddIsAConflict()
    {
        var host = $"openai.upstream.test:{fixture.Upstream.Port}";

        var added = CliAssert.Ok(await fixture.Broker.Process.Cli.RunAsync(
            "vault", "service", "add", "--vault", "dev", "--from-catalog", "openai", "--host", host, "--credential", "OPENAI_API_KEY=local:openai"));
        var response = await CurlAsync($"https://{host}/v1/models");
        var again = CliAssert.Failed(await fixture.Broker.Process.Cli.RunAsync(
            "vault", "service", "add", "--vault", "dev", "--from-catalog", "openai", "--host", host));
        var renamed = CliAssert.Ok(await fixture.Broker.Process.Cli.RunAsync(
            "vault", "service", "add", "--vault", "dev", "--from-catalog", "openai", "--name", "openai-team-b", "--host", "openai-b.upstream.test"));

        Assert.Contains("service dev/openai saved", added.Stdout, StringComparison.Ordinal);
        Assert.True(response.Status == 200, response.ToString());
        Assert.Contains("\"object\":\"list\"", response.Body, StringComparison.Ordinal);
        Assert.Contains("already has a service named 'openai'", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("service dev/openai-team-b saved", renamed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromCatalog_TelegramReadOnly_PutsTheTokenInThePathAndRefusesSends()
    {
        var host = $"telegram.upstream.test:{fixture.Upstream.Port}";
        CliAssert.Ok(await fixture.Broker.Process.Cli.RunAsync(
            "vault", "service", "add", "--vault", "dev", "--from-catalog", "telegram", "--host", host,
            "--credential", "TELEGRAM_BOT_TOKEN=local:telegram", "--preset", "read-only"));

        var getMe = await CurlAsync($"https://{host}/bot__telegram_bot_token__/getMe");
        var send = await CurlAsync("-X", "POST", $"https://{host}/bot__telegram_bot_token__/sendMessage");

        Assert.True(getMe.Status == 200, getMe.ToString());
        Assert.Contains("\"ok\":true", getMe.Body, StringComparison.Ordinal);
        Assert.Equal(403, send.Status);
        Assert.Equal("rule_denied", send.Header("X-Agent-Vault-Error"));
        Assert.DoesNotContain(fixture.Upstream.ReceivedTargets, t => t.Contains("sendMessage", StringComparison.Ordinal));
    }

    private async Task<CurlResponse> CurlAsync(params string[] arguments) =>
        CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.AgentToken, [.. CurlResponse.Arguments, .. arguments]));
}
