using AgentVault.Console.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentVault.Console.Tests.Pages;

/// <summary>The live request log (<c>/ui/logs</c>) in Chromium: proxied requests appear without a reload, as text.</summary>
public sealed class LogPageTests(BrowserSession browser, ConsoleBroker broker) : BrowserTest(browser), IClassFixture<ConsoleBroker>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Deadline = new() { Timeout = 15_000 };

    protected override Uri? BaseUrl => broker.ApiUrl;

    [Fact]
    public async Task ProxiedRequests_AppearLive_WithoutReloading_AndThePageIsAccessible()
    {
        var page = Tab.Page;
        await broker.SignInAsync(page);
        await page.GotoAsync("/ui/logs");
        // The stream is open once the script says so; a record made after that must arrive through it.
        await Expect(page.Locator("#log-live[data-state=on]")).ToBeVisibleAsync(Deadline);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        var marker = "/echo/live-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(200, await broker.RequestAsync(marker));
        Assert.Equal(403, await broker.RequestAsync("/refused", host: "unlisted.example.test"));

        var ok = page.Locator($"#log-rows tr[data-agent='{ConsoleBroker.Agent}'][data-status='200']").Filter(new() { HasText = marker });
        await Expect(ok).ToBeVisibleAsync(Deadline);
        await Expect(ok).ToHaveAttributeAsync("data-vault", ConsoleBroker.Vault);
        await Expect(ok).ToHaveAttributeAsync("data-service", ConsoleBroker.Service);
        await Expect(ok).ToHaveAttributeAsync("data-error", "");
        var refused = page.Locator($"#log-rows tr.refused[data-agent='{ConsoleBroker.Agent}'][data-status='403'][data-error='host_not_allowed']")
            .Filter(new() { HasText = "unlisted.example.test" });
        await Expect(refused).ToBeVisibleAsync(Deadline);
        Assert.Equal(0, navigations);
        await Accessibility.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task LiveRecordWithMarkupInItsPath_IsShownAsText()
    {
        var page = Tab.Page;
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            dialogs++;
            await dialog.DismissAsync();
        };
        await broker.SignInAsync(page);
        await page.GotoAsync("/ui/logs");
        await Expect(page.Locator("#log-live[data-state=on]")).ToBeVisibleAsync(Deadline);
        var path = $"/echo/{Guid.NewGuid():N}/<img src=x onerror=alert(1)>";

        Assert.Equal(200, await broker.RequestAsync(path));

        var cell = page.Locator("#log-rows td.log-path").Filter(new() { HasText = path });
        await Expect(cell).ToBeVisibleAsync(Deadline);
        await Expect(cell).ToHaveTextAsync(path);
        Assert.Equal(0, await page.Locator("#log-table img").CountAsync());
        Assert.Equal(0, dialogs);
    }
}
