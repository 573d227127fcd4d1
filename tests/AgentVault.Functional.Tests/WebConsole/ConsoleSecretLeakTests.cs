using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// No secret anywhere in the console (issue 12): with secrets resolved (cached) and requests logged, every page the console
/// links to, its scripts and styles, the configuration downloads and the live log stream hold no secret value, no admin
/// token, and no agent token except in the one answer that created it; the admin token is never in a cookie.
/// </summary>
public sealed class ConsoleSecretLeakTests : IAsyncLifetime
{
    private const string BearerHost = "api.upstream.test";
    private const string KeyHost = "keys.upstream.test";
    private const string BearerSecret = "sk-LEAK-bearer-value-9f8e7d6c5b";
    private const string KeySecret = "LEAK-api-key-value-77aa55cc33";

    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;

    private BrokerEnvironment Broker => _broker!;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Console Leak CA", Hosts = [BearerHost, KeyHost] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("leak-bearer", BearerSecret), ("leak-key", KeySecret));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryPageAssetDownloadAndStream_HoldsNoSecretNoAdminToken_AndAgentTokensOnlyWhereCreated()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);
        var answers = new ConsoleAnswers(console);
        using (var signIn = await console.SignInAsync(Broker.Process.AdminToken))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            await answers.RecordAsync("POST /login", signIn);
        }

        await ConfigureVaultAsync(answers);
        var created = ShownToken(await answers.PostFormAsync("/ui/agents", new Dictionary<string, string>
        {
            ["_handler"] = "create-agent", ["Name"] = "leaky", ["Vaults"] = "leak",
        }));
        await ProxyAsync(created);
        var rotated = ShownToken(await answers.PostFormAsync("/ui/agents", new Dictionary<string, string> { ["_handler"] = "rotate-leaky" }));
        var minted = ShownToken(await answers.PostFormAsync("/ui/tokens", new Dictionary<string, string>
        {
            ["_handler"] = "mint-token", ["Vault"] = "leak", ["Ttl"] = "1h", ["Label"] = "leak-sandbox",
        }));
        await ProxyAsync(rotated);
        await ProxyAsync(minted);

        var fetched = await answers.CrawlAsync(["/", "/login", "/ui", "/ui/vaults", "/ui/vaults/leak", "/ui/agents", "/ui/tokens",
            "/ui/config", "/ui/config?format=json", "/ui/config/export", "/ui/config/export?format=json", "/ui/logs", "/ui/logs?vault=leak"]);
        await ReadLogStreamAsync(console, answers, rotated);

        // The crawl reached the scripts, the styles and the downloads the pages link to.
        Assert.Contains(fetched, p => p.StartsWith("/ui/assets/", StringComparison.Ordinal) && p.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(fetched, p => p.StartsWith("/ui/assets/", StringComparison.Ordinal) && p.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(answers.All, a => a.What == "GET /ui/config/export?format=json" && a.Status == 200 && a.Body.Contains("local:leak-key", StringComparison.Ordinal));
        Assert.Contains(answers.All, a => a.What == "GET /ui/logs" && a.Body.Contains("/echo/leak-", StringComparison.Ordinal));
        foreach (var answer in answers.All)
        {
            Assert.False(answer.Contains(BearerSecret) || answer.Contains(KeySecret), $"a secret value in the answer to {answer.What}");
            Assert.False(answer.Contains(Broker.Process.AdminToken), $"the admin token in the answer to {answer.What}");
        }

        foreach (var (token, what) in new[] { (created, "create-agent"), (rotated, "rotate-leaky"), (minted, "mint-token") })
        {
            var holders = answers.All.Where(a => a.Contains(token)).Select(a => a.What).ToList();
            Assert.True(holders.Count == 1 && holders[0].Contains(what, StringComparison.Ordinal),
                $"the token of {what} is in: {string.Join("; ", holders)}");
        }

        Assert.NotEmpty(answers.SetCookies);
        Assert.DoesNotContain(answers.SetCookies, c => c.Contains(Broker.Process.AdminToken, StringComparison.Ordinal));
    }

    /// <summary>Vault <c>leak</c> through the console's forms: two credential references and a bearer and an api-key service.</summary>
    private async Task ConfigureVaultAsync(ConsoleAnswers answers)
    {
        var steps = new Dictionary<string, string>[]
        {
            new() { ["_handler"] = "create-vault", ["VaultName"] = "leak", ["Unmatched"] = "deny" },
            new() { ["_handler"] = "add-credential", ["CredentialKey"] = "BEARER", ["CredentialRef"] = "local:leak-bearer" },
            new() { ["_handler"] = "add-credential", ["CredentialKey"] = "API_KEY", ["CredentialRef"] = "local:leak-key", ["CredentialTtl"] = "10m" },
            new()
            {
                ["_handler"] = "add-service", ["ServiceName"] = "bearer", ["ServiceHost"] = $"{BearerHost}:{_upstream!.Port}",
                ["AuthType"] = "bearer", ["AuthKey"] = "BEARER",
            },
            new()
            {
                ["_handler"] = "add-service", ["ServiceName"] = "keyed", ["ServiceHost"] = $"{KeyHost}:{_upstream.Port}",
                ["AuthType"] = "api-key", ["AuthKey"] = "API_KEY", ["AuthHeader"] = "x-api-key",
            },
            new() { ["_handler"] = "check-credentials" },
        };
        foreach (var fields in steps)
        {
            var page = fields["_handler"] == "create-vault" ? "/ui/vaults" : "/ui/vaults/leak";
            var answer = await answers.PostFormAsync(page, fields);
            Assert.True(answer.Status is 200 or 302, $"{answer.What}: {answer.Status}");
            Assert.DoesNotContain("role=\"alert\"", answer.Body, StringComparison.Ordinal);
        }
    }

    /// <summary>Requests through both services (so the secrets are resolved and cached) and one refusal, as the agent.</summary>
    private async Task ProxyAsync(string token)
    {
        using var agent = Broker.CreateClient(token, "leak");
        var marker = Guid.NewGuid().ToString("N")[..8];
        foreach (var (host, header, injected) in new[] { (BearerHost, "authorization", "Bearer [REDACTED]"), (KeyHost, "x-api-key", "[REDACTED]") })
        {
            // The upstream echoes the credential the broker injected; the broker redacts it on the way back to the agent.
            using var answer = await agent.GetAsync(new Uri($"https://{host}:{_upstream!.Port}/echo/leak-{marker}"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var echo = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal(injected, echo.RootElement.GetProperty("headers").GetProperty(header).GetString());
        }

        using var refused = await agent.GetAsync(new Uri($"http://leak-{marker}.unlisted.test/x"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await Broker.WaitForLogAsync(r => r.GetProperty("path").GetString() == $"/echo/leak-{marker}", marker);
    }

    /// <summary>Reads <c>/ui/logs/stream</c> until a request made after it opened arrives, and records what it sent.</summary>
    private async Task ReadLogStreamAsync(ConsoleClient console, ConsoleAnswers answers, string token)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/logs/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await console.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(deadline.Token));
        var text = new StringBuilder();
        text.AppendLine(await reader.ReadLineAsync(deadline.Token));
        using var agent = Broker.CreateClient(token, "leak");
        var path = "/echo/leak-stream-" + Guid.NewGuid().ToString("N")[..8];
        using (var answer = await agent.GetAsync(new Uri($"https://{BearerHost}:{_upstream!.Port}{path}"), deadline.Token))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            text.AppendLine(line);
            if (line.Contains(path, StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Contains(path, text.ToString(), StringComparison.Ordinal);
        await answers.RecordAsync("GET /ui/logs/stream", stream, text.ToString());
    }

    private static string ShownToken(ConsoleAnswers.Answer answer) =>
        AgentPagesFixture.ShownToken(answer.Body) ?? throw new InvalidOperationException($"no token shown in the answer to {answer.What}: {AgentPagesFixture.Alerts(answer.Body)}");
}
