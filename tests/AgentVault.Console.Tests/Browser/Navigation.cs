using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentVault.Console.Tests.Browser;

/// <summary>
/// Waits for the page to arrive at an address and finish loading. Not <c>IPage.WaitForURLAsync</c>: Playwright for .NET
/// checks the URL and then subscribes to the navigation event, so a navigation finished in between is missed and the wait
/// times out (microsoft/playwright-dotnet#3364; it failed CI once). <c>ToHaveURLAsync</c> asks the browser, and a load state
/// reached before the wait is still recorded, so a short wait repeated finds it.
/// </summary>
internal static class Navigation
{
    private static readonly PageWaitForLoadStateOptions ShortWait = new() { Timeout = 1_000 };

    /// <summary>Waits until the address ends with <paramref name="path"/> (no query) and the document has loaded.</summary>
    public static async Task ArrivedAsync(IPage page, string path)
    {
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"), new() { Timeout = 30_000 });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load, ShortWait);
                return;
            }
            catch (TimeoutException) when (attempt < 30)
            {
                // Asked again: a load event that slipped past the last wait is found at once.
            }
        }
    }
}
