using AgentVault.Testing.Broker;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Browser;

/// <summary>Saves what a page looks like, e.g. for the pictures in <c>docs/console.md</c>.</summary>
public static class Screenshots
{
    /// <summary>
    /// Writes a full-page PNG of <paramref name="page"/> to <paramref name="path"/>; a relative path is taken from the repository
    /// root (<c>docs/console/overview.png</c>). Animations are stopped first so the picture is the same on every run.
    /// </summary>
    public static async Task<string> SaveAsync(IPage page, string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(TestPaths.RepoRoot, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = full,
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
        return full;
    }
}
