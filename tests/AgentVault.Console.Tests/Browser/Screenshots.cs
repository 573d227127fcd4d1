using AgentVault.Testing.Broker;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Browser;

/// <summary>Saves what a page looks like, e.g. for the pictures in <c>docs/console.md</c>.</summary>
public static class Screenshots
{
    /// <summary>
    /// Set to a folder (relative: from the repository root) to have <see cref="SaveIfAskedAsync"/> write the pictures, e.g.
    /// <c>AGENT_VAULT_CONSOLE_SCREENSHOTS=docs/console</c>. Unset (the test command), nothing is written.
    /// </summary>
    public const string FolderVariable = "AGENT_VAULT_CONSOLE_SCREENSHOTS";

    /// <summary>The folder <see cref="FolderVariable"/> names, or null when no screenshots are asked for.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>Writes <c>NAME.png</c> of <paramref name="page"/> into <see cref="Folder"/> when it is set; does nothing otherwise.</summary>
    public static async Task SaveIfAskedAsync(IPage page, string name)
    {
        if (Folder is { } folder)
        {
            await SaveAsync(page, Path.Combine(folder, name + ".png"));
        }
    }

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
