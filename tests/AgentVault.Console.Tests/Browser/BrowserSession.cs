using System.Collections;
using System.Diagnostics;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Browser;

/// <summary>
/// Headless Debian Chromium driven by Playwright, launched once per test collection (<see cref="BrowserCollection"/>).
/// Playwright's own browser downloads are never used: the executable is <see cref="ExecutablePath"/>, installed by
/// <c>scripts/deps/10-apt.sh</c>; Playwright's Node driver comes with its NuGet package (<c>.playwright/</c> in the output folder).
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    /// <summary>Debian's <c>chromium</c> (a launcher script that runs <c>/usr/lib/chromium/chromium</c>).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// Flags besides the ones Playwright passes itself (<c>--headless</c>, and <c>--no-sandbox</c> since
    /// <see cref="BrowserTypeLaunchOptions.ChromiumSandbox"/> is false: Chromium refuses its sandbox as root, which CI is).
    /// Shared memory goes to /tmp because a container's <c>/dev/shm</c> is often 64 MB, too small for the renderer.
    /// </summary>
    public static readonly IReadOnlyList<string> Arguments = ["--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"];

    private readonly string _home = Directory.CreateTempSubdirectory("agent-vault-chromium-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>How long starting Playwright's driver and Chromium took (reported by the smoke test, never asserted).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>The running browser's version, e.g. <c>156.0.8078.129</c>.</summary>
    public string Version => Browser.Version;

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not running");

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // Belt and braces: nothing here installs browsers, and the tests run without a network anyway.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            ChromiumSandbox = false,
            Args = Arguments,
            Env = BrowserEnvironment(),
            Timeout = 60_000,
        });
        StartDuration = clock.Elapsed;
    }

    /// <summary>
    /// A fresh browser context (no cookies or storage shared with any other tab) with one page whose console errors,
    /// uncaught exceptions, failed requests and HTTP error answers are recorded. Relative URLs resolve against
    /// <paramref name="baseUrl"/>.
    /// </summary>
    /// <param name="acceptTestCertificates">
    /// Accept any server certificate: for pages of a test's own HTTPS server (an identity provider with a per-test CA),
    /// which Chromium cannot be told to trust otherwise here. Never for the broker's own pages.
    /// </param>
    public async Task<BrowserTab> OpenTabAsync(Uri? baseUrl = null, bool acceptTestCertificates = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = acceptTestCertificates,
            BaseURL = baseUrl?.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = ColorScheme.Light,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        try
        {
            return new BrowserTab(context, await context.NewPageAsync());
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a crash reporter may still hold a file.
        }
    }

    /// <summary>
    /// This process's environment with a private HOME and XDG folders, so Chromium's caches (fontconfig, crash reports)
    /// neither need a writable home nor land in the real one. Playwright replaces the whole environment when one is given.
    /// </summary>
    private Dictionary<string, string> BrowserEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        environment["HOME"] = _home;
        environment["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config");
        environment["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache");
        environment["XDG_DATA_HOME"] = Path.Combine(_home, ".local", "share");
        return environment;
    }
}
