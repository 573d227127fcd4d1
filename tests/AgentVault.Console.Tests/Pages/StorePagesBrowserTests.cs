using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// The stores page in Chromium: a person sets a secret in the dev file store through the form, tests the store and deletes
/// the secret; the value never comes back into the page (not even after a refused name), and the stores page and the
/// overview pass axe without a console error or CSP violation.
/// </summary>
public sealed class StorePagesBrowserTests(BrowserSession browser) : BrowserTest(browser)
{
    private const string Value = "sk-browser-store-secret-8e1f";
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    [Fact]
    public async Task SetTestAndDeleteASecret_InTheBrowser_AndThePagesAreAccessible()
    {
        await using var broker = await BrokerEnvironment.StartAsync();
        var page = Tab.Page;
        var ui = (string path) => new Uri(broker.Process.ApiUrl, path).AbsoluteUri;

        await page.GotoAsync(ui("/login"));
        await page.GetByLabel("Admin token", Exact).FillAsync(broker.Process.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Navigation.ArrivedAsync(page, "/ui");
        await page.GetByRole(AriaRole.Link, new() { Name = "Stores", Exact = true }).ClickAsync();
        await Navigation.ArrivedAsync(page, "/ui/stores");
        await Accessibility.AssertAccessibleAsync(page);

        await page.GetByLabel("Name", Exact).FillAsync("bad name");
        await page.GetByLabel("Value", Exact).FillAsync(Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save secret" }).ClickAsync();
        await page.Locator("[data-form-error=secrets-local]").WaitForAsync();
        Assert.Equal(string.Empty, await page.GetByLabel("Value", Exact).InputValueAsync());
        Assert.DoesNotContain(Value, await page.ContentAsync(), StringComparison.Ordinal);
        await Accessibility.AssertAccessibleAsync(page);

        await page.GetByLabel("Name", Exact).FillAsync("browser-secret");
        await page.GetByLabel("Value", Exact).FillAsync(Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save secret" }).ClickAsync();
        await page.Locator("tr[data-secret=browser-secret]").WaitForAsync();
        Assert.Equal(string.Empty, await page.GetByLabel("Value", Exact).InputValueAsync());
        Assert.DoesNotContain(Value, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Test store local" }).ClickAsync();
        await page.Locator("tr[data-store=local][data-test=ok]").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page);

        await page.GetByLabel("Yes, delete browser-secret", Exact).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete secret browser-secret of store local" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-secret=browser-secret]")).ToHaveCountAsync(0);

        await page.GotoAsync(ui("/ui"));
        await page.Locator("tr[data-store=local] td[data-circuit=closed]").WaitForAsync();
        await Accessibility.AssertAccessibleAsync(page);
        Assert.DoesNotContain(Value, await page.ContentAsync(), StringComparison.Ordinal);
    }
}
