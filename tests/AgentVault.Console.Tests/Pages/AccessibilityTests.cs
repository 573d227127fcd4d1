using AgentVault.Console.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// Every console page, with data on it (<see cref="PopulatedConsoleBroker"/>), passes axe with no serious or critical
/// violation and loads without a console error, a failed request or a Content-Security-Policy violation (checked by
/// <see cref="BrowserTest"/> after each test) — and never shows the secret.
/// </summary>
public sealed class AccessibilityTests(BrowserSession browser, PopulatedConsoleBroker data) : BrowserTest(browser), IClassFixture<PopulatedConsoleBroker>
{
    /// <summary>Every console page and a text it shows only when its data is there. A new page is added here.</summary>
    public static readonly (string Path, string Shows)[] ConsolePages =
    [
        ("/login", "Admin token"),
        ("/ui", "local"),
        ("/ui/vaults", "dev"),
        ("/ui/vaults/dev", "local:pages-api"),
        ("/ui/stores", "local"),
        ("/ui/agents", ConsoleBroker.Agent),
        ("/ui/tokens", "pages-sandbox"),
        ("/ui/config", "bearer-api"),
        ("/ui/logs", PopulatedConsoleBroker.RefusedHost),
        ("/ui/notifications", PopulatedConsoleBroker.HookName),
        ("/ui/proposals", "proposed.example.com"),
        ("/ui/catalog", "api.stripe.com"),
        ("/ui/approvals", "Waiting for a decision"),
    ];

    private static readonly LocatorAssertionsToBeVisibleOptions Deadline = new() { Timeout = 15_000 };

    public static TheoryData<string> Paths => new(ConsolePages.Select(p => p.Path));

    protected override Uri? BaseUrl => data.Broker.ApiUrl;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Page_WithData_IsAccessible_AndHasNoConsoleErrorOrFailedRequest(string path)
    {
        var page = Tab.Page;
        if (path != "/login")
        {
            await data.Broker.SignInAsync(page);
        }

        var answer = await page.GotoAsync(path);
        Assert.Equal(200, answer?.Status);
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(ConsolePages.Single(p => p.Path == path).Shows);
        if (path == "/ui/logs")
        {
            // Checked once the live stream is open and the rows are there, as a person sees the page.
            await Expect(page.Locator("#log-live[data-state=on]")).ToBeVisibleAsync(Deadline);
            await Expect(page.Locator("#log-rows tr").Filter(new() { HasText = data.ServedPath })).ToBeVisibleAsync(Deadline);
        }

        await Accessibility.AssertAccessibleAsync(page);
        Assert.DoesNotContain(PopulatedConsoleBroker.Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Tab.AssertNoProblems();
    }

    [Fact]
    public async Task AgentCreatedPage_ShowingItsTokenOnce_IsAccessible()
    {
        var page = Tab.Page;
        await data.Broker.SignInAsync(page);
        await page.GotoAsync("/ui/agents");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("pages-created");
        await page.GetByLabel("dev", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create agent" }).ClickAsync();

        await Expect(page.Locator("#once-token")).ToContainTextAsync("avt_", new() { Timeout = 15_000 });
        // The copy buttons are shown by script: check the page as it is once they are.
        await Expect(page.Locator("button[data-copy=once-token]")).ToBeVisibleAsync(Deadline);
        await Accessibility.AssertAccessibleAsync(page);
        Tab.AssertNoProblems();
    }

    [Fact]
    public async Task TokenMintedPage_ShowingItOnce_IsAccessible()
    {
        var page = Tab.Page;
        await data.Broker.SignInAsync(page);
        await page.GotoAsync("/ui/tokens");

        await page.GetByLabel("Vault", new() { Exact = true }).SelectOptionAsync(ConsoleBroker.Vault);
        await page.GetByLabel("Label (optional)").FillAsync("pages-minted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mint token" }).ClickAsync();

        await Expect(page.Locator("#once-token")).ToContainTextAsync("avt_", new() { Timeout = 15_000 });
        await Accessibility.AssertAccessibleAsync(page);
        Tab.AssertNoProblems();
    }

    [Fact]
    public async Task ProposalReviewPage_WithItsWarningAndForms_IsAccessible()
    {
        var page = Tab.Page;
        await data.Broker.SignInAsync(page);
        await page.GotoAsync("/ui/proposals");

        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "proposed.example.com" }).GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page.Locator("[data-warning=credential_reaches_new_host]")).ToBeVisibleAsync(Deadline);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve and apply" })).ToBeVisibleAsync(Deadline);
        await Accessibility.AssertAccessibleAsync(page);
        Assert.DoesNotContain(PopulatedConsoleBroker.Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Tab.AssertNoProblems();
    }
}
