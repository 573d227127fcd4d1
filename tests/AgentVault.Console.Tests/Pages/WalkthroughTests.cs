using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// The README's walkthrough done in the browser only, as a new user would: from the broker's root URL through sign-in, a
/// vault with a bearer service, an agent and its token, a proxied request seen live in the request log, to revoking the agent.
/// Only the secret itself is put beforehand (through the API, like <c>agent-vault secret set</c>): the console does not set
/// secrets. With <see cref="Screenshots.FolderVariable"/> set it also saves the pictures of <c>docs/console.md</c>.
/// </summary>
public sealed partial class WalkthroughTests(BrowserSession browser) : BrowserTest(browser)
{
    private const string UpstreamHost = "api.upstream.test";
    private const string Secret = "sk-walkthrough-SECRET-3c9e71";
    private const string Key = "OPENAI_API_KEY";
    private static readonly LocatorAssertionsToBeVisibleOptions Deadline = new() { Timeout = 15_000 };
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;

    private BrokerEnvironment Broker => _broker!;

    private string Authority => $"{UpstreamHost}:{_upstream!.Port}";

    protected override Uri? BaseUrl => _broker?.Process.ApiUrl;

    public override async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Console Walkthrough CA", Hosts = [UpstreamHost] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("openai", Secret));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadmeWalkthrough_InTheBrowserOnly_FromTheRootUrlToARevokedAgent()
    {
        var page = Tab.Page;

        // The root URL leads to the console, which asks for the admin token first.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByLabel("Admin token", Exact).FillAsync(Broker.Process.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync(Deadline);

        await CreateVaultWithServiceAsync(page);
        var token = await CreateAgentAsync(page);
        await PlanAChangeAsync(page);

        // A request made as the agent shows up in the open log page without a reload; so does a refusal.
        await NavigateAsync(page, "Request log", "/ui/logs");
        await Expect(page.Locator("#log-live[data-state=on]")).ToBeVisibleAsync(Deadline);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        var path = "/echo/v1/models/" + Guid.NewGuid().ToString("N")[..8];
        using (var agent = Broker.CreateClient(token, "dev"))
        {
            using var answer = await agent.GetAsync(new Uri($"https://{Authority}{path}"));
            Assert.Equal(200, (int)answer.StatusCode);
            // The upstream got a bearer credential the agent never sent; its echo of it comes back redacted.
            using var echo = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal("Bearer [REDACTED]", echo.RootElement.GetProperty("headers").GetProperty("authorization").GetString());
            Assert.DoesNotContain(Secret, echo.RootElement.GetRawText(), StringComparison.Ordinal);
            using var refused = await agent.GetAsync(new Uri("http://unlisted.example.test/v1/models"));
            Assert.Equal(403, (int)refused.StatusCode);
        }

        var row = page.Locator("#log-rows tr[data-agent=claude][data-vault=dev][data-service=openai][data-status='200']").Filter(new() { HasText = path });
        await Expect(row).ToBeVisibleAsync(Deadline);
        await Expect(page.Locator("#log-rows tr[data-agent=claude][data-error=host_not_allowed]").First).ToBeVisibleAsync(Deadline);
        Assert.Equal(0, navigations);

        // Reloaded, the page also lists the refused host with a way to create a service for it.
        await page.ReloadAsync();
        var unmatched = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "unlisted.example.test:80" }).GetByRole(AriaRole.Link, new() { Name = "Create a service" });
        await Expect(unmatched).ToHaveAttributeAsync("href", "/ui/vaults/dev?host=unlisted.example.test%3A80");
        await Expect(page.Locator("#log-live[data-state=on]")).ToBeVisibleAsync(Deadline);
        await Accessibility.AssertAccessibleAsync(page);
        await AssertNoSecretAsync(page);
        await Screenshots.SaveIfAskedAsync(page, "logs");

        await NavigateAsync(page, "Overview", "/ui");
        await Screenshots.SaveIfAskedAsync(page, "overview");

        // Revoke the agent: its next request is refused at the proxy (407; refusals of the proxy login are not logged).
        await NavigateAsync(page, "Agents", "/ui/agents");
        await page.GetByLabel("Yes, revoke every token of claude", Exact).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke claude" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Agent claude revoked (1 token)");
        Assert.Equal(407, await ConnectStatusAsync(token));
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>Vaults → create <c>dev</c> → a credential reference to the secret → a bearer service on the upstream → check.</summary>
    private async Task CreateVaultWithServiceAsync(IPage page)
    {
        await NavigateAsync(page, "Vaults", "/ui/vaults");
        await page.GetByLabel("Name", Exact).FillAsync("dev");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create vault" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vault dev", Level = 1 })).ToBeVisibleAsync(Deadline);

        await page.GetByLabel("Key", Exact).FillAsync(Key);
        await page.GetByLabel("Reference", Exact).FillAsync("local:openai");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential reference" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "local:openai" })).ToBeVisibleAsync(Deadline);

        await page.GetByLabel("Name", Exact).FillAsync("openai");
        await page.GetByLabel("Host", Exact).FillAsync(Authority);
        await page.GetByLabel("Auth scheme", Exact).SelectOptionAsync("bearer");
        await page.GetByLabel("Credential key", Exact).FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save service" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = Authority })).ToContainTextAsync("bearer", new() { Timeout = 15_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Check credentials" }).ClickAsync();
        var credential = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "local:openai" });
        await Expect(credential).ToContainTextAsync("ok", new() { Timeout = 15_000 });
        await Expect(page.Locator($"tr[data-credential={Key}][data-check=ok]")).ToBeVisibleAsync(Deadline);
        await AssertNoSecretAsync(page);
        await Screenshots.SaveIfAskedAsync(page, "vault");

        await NavigateAsync(page, "Vaults", "/ui/vaults");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "dev", Exact = true })).ToBeVisibleAsync(Deadline);
        await Screenshots.SaveIfAskedAsync(page, "vaults");
    }

    /// <summary>Agents → create <c>claude</c> for <c>dev</c>; returns the token the page shows once.</summary>
    private static async Task<string> CreateAgentAsync(IPage page)
    {
        await NavigateAsync(page, "Agents", "/ui/agents");
        await page.GetByLabel("Name", Exact).FillAsync("claude");
        await page.GetByLabel("dev", Exact).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();
        await Expect(page.GetByText("it is shown only this once", new() { Exact = false })).ToBeVisibleAsync(Deadline);
        var token = (await page.Locator("#once-token").InnerTextAsync()).Trim();
        Assert.Matches(TokenPattern(), token);
        Assert.Contains($"AGENT_VAULT_TOKEN={token} agent-vault run --vault dev -- ", await page.Locator("#once-run").InnerTextAsync(), StringComparison.Ordinal);
        await AssertNoSecretAsync(page);
        await Screenshots.SaveIfAskedAsync(page, "agents-token");
        return token;
    }

    /// <summary>Configuration → plan a new vault (not applied): the plan lists it and nothing changes.</summary>
    private static async Task PlanAChangeAsync(IPage page)
    {
        await NavigateAsync(page, "Configuration", "/ui/config");
        await Expect(page.Locator("pre[data-export]")).ToContainTextAsync("local:openai");
        await page.GetByLabel("Document (YAML or JSON)", Exact).FillAsync("vaults:\n  - name: staging\n    unmatched: deny\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-result=plan] [data-item='vault/staging']")).ToBeVisibleAsync(Deadline);
        await AssertNoSecretAsync(page);
        await Screenshots.SaveIfAskedAsync(page, "config-plan");
    }

    /// <summary>Follows a link of the console's navigation, as a person would, and checks the page with axe.</summary>
    private static async Task NavigateAsync(IPage page, string link, string path)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await Navigation.ArrivedAsync(page, path);
        await Accessibility.AssertAccessibleAsync(page);
    }

    private static async Task AssertNoSecretAsync(IPage page) =>
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

    /// <summary>The status an agent gets for CONNECT to the upstream with <paramref name="token"/> (what HTTPS_PROXY clients send first).</summary>
    private async Task<int> ConnectStatusAsync(string token)
    {
        await using var client = await RawProxyClient.ConnectAsync(Broker.ProxyUri);
        return (await client.ConnectAsync(Authority, RawProxyClient.Basic(token, "dev"))).Status;
    }

    [GeneratedRegex("/login\\?return=%2Fui$")]
    private static partial Regex SignInUrl();

    [GeneratedRegex("^avt_[A-Za-z0-9_-]+$")]
    private static partial Regex TokenPattern();
}
