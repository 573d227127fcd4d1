using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// The agents and tokens pages in Chromium: forms a person fills in, the token shown once with working copy buttons, the
/// confirmation box of revoke; each page state passes axe and loads without a console error or CSP violation.
/// </summary>
public sealed class AgentPagesBrowserTests(BrowserSession browser) : BrowserTest(browser)
{
    private BrokerEnvironment? _broker;

    private BrokerEnvironment Broker => _broker!;

    protected override Uri? BaseUrl => _broker?.Process.ApiUrl;

    public override async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync();
        var applied = await Broker.ApplyAsync("vaults:\n  - name: dev\n  - name: ops\n");
        Assert.True(applied.ExitCode == 0, applied.ToString());
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
    public async Task CreateCopyAndRevokeAnAgent_InTheBrowser()
    {
        var page = Tab.Page;
        await Tab.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await SignInAsync(page);

        await page.GotoAsync("/ui/agents");
        await Accessibility.AssertAccessibleAsync(page);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("browser-agent");
        await page.GetByLabel("dev", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();

        var token = (await page.Locator("#once-token").InnerTextAsync()).Trim();
        Assert.StartsWith("avt_", token, StringComparison.Ordinal);
        // By its attribute: while it says "Copied" the button's accessible name is not "Copy the token".
        var copy = page.Locator("button[data-copy=once-token]");
        await Assertions.Expect(copy).ToHaveTextAsync("Copy the token");
        await copy.ClickAsync();
        await Assertions.Expect(copy).ToHaveTextAsync("Copied");
        Assert.Equal(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Accessibility.AssertAccessibleAsync(page);
        Assert.Contains($"AGENT_VAULT_TOKEN={token} agent-vault run --vault dev -- ", await page.Locator("#once-run").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/ui/agents");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Yes, revoke every token of browser-agent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke browser-agent" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Agent browser-agent revoked (1 token)");
        await Accessibility.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task MintAndRevokeAScopedToken_InTheBrowser()
    {
        var page = Tab.Page;
        await SignInAsync(page);

        await page.GotoAsync("/ui/tokens");
        await page.GetByLabel("Vault", new() { Exact = true }).SelectOptionAsync("ops");
        await page.GetByLabel("Label (optional)").FillAsync("browser-sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mint token" }).ClickAsync();

        var token = (await page.Locator("#once-token").InnerTextAsync()).Trim();
        Assert.StartsWith("avt_", token, StringComparison.Ordinal);
        Assert.Contains("AGENT_VAULT_VAULT=ops", await page.Locator("#once-env").InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertAccessibleAsync(page);

        await page.GotoAsync("/ui/tokens");
        var row = page.Locator("tr", new() { HasText = "browser-sandbox" });
        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        await row.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-state=revoked]", new() { HasText = "browser-sandbox" })).ToHaveCountAsync(1);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await Accessibility.AssertAccessibleAsync(page);
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Admin token").FillAsync(Broker.Process.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Navigation.ArrivedAsync(page, "/ui");
    }
}
