using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// The vault and configuration pages in Chromium: a person creates a vault, a credential reference and a service, checks the
/// credentials and plans then applies a document — each page accessible (axe) and without a console error or failed request.
/// </summary>
public sealed class VaultAndConfigPagesTests(BrowserSession browser) : BrowserTest(browser)
{
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    [Fact]
    public async Task VaultWalkthrough_InTheBrowser_WorksAndEveryPageIsAccessible()
    {
        await using var broker = await BrokerEnvironment.StartAsync();
        await broker.PutSecretsAsync(("browser-gh", "browser-secret-value-1b2c"));
        var page = Tab.Page;
        var ui = (string path) => new Uri(broker.Process.ApiUrl, path).AbsoluteUri;

        await page.GotoAsync(ui("/login"));
        await page.GetByLabel("Admin token", Exact).FillAsync(broker.Process.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync(ui("/ui/vaults"));
        await Accessibility.AssertAccessibleAsync(page);
        await page.GetByLabel("Name", Exact).FillAsync("browser");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create vault" }).ClickAsync();
        await Navigation.ArrivedAsync(page, "/ui/vaults/browser");

        await page.GetByLabel("Key", Exact).FillAsync("GH_TOKEN");
        await page.GetByLabel("Reference", Exact).FillAsync("local:browser-gh");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential reference" }).ClickAsync();
        await page.GotoAsync(ui("/ui/vaults/browser?host=api.github.com"));
        Assert.Equal("api.github.com", await page.GetByLabel("Host", Exact).InputValueAsync());
        await page.GetByLabel("Name", Exact).FillAsync("github");
        await page.GetByLabel("Credential key", Exact).FillAsync("GH_TOKEN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save service" }).ClickAsync();
        await page.Locator("tr[data-service=github]").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check credentials" }).ClickAsync();
        await page.Locator("tr[data-credential=GH_TOKEN][data-check=ok]").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page);
        Assert.DoesNotContain("browser-secret-value-1b2c", await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync(ui("/ui/config"));
        await page.GetByLabel("Document (YAML or JSON)", Exact).FillAsync("vaults:\n  - name: from-browser\n    unmatched: passthrough\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        await page.Locator("[data-result=plan] [data-item='vault/from-browser']").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply this plan" }).ClickAsync();
        await page.Locator("[data-result=applied] [data-item='vault/from-browser']").WaitForAsync();
        Assert.Contains("name: from-browser", await page.Locator("pre[data-export]").InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertAccessibleAsync(page);
    }
}
