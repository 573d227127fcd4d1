using System.Net;
using System.Text.Json;
using AgentVault.Console.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentVault.Console.Tests.People;

/// <summary>
/// People sign in through a real OpenID Connect provider (issue 14): in Chromium to the console, and on the command line
/// with the device flow and with the loopback browser flow; what they see and may change follows their role, their
/// changes are audited under their email, and an ended or revoked session stops working at once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SingleSignOnTests(BrowserSession browser, SsoBroker sso) : IClassFixture<SsoBroker>
{
    [Fact]
    public async Task APerson_SignsInToTheConsole_SeesOnlyTheirVaults_AndTheirChangeIsAuditedUnderTheirEmail()
    {
        await using var tab = await browser.OpenTabAsync(sso.ApiUrl, acceptTestCertificates: true);
        var page = tab.Page;
        await page.GotoAsync("/login");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with single sign-on" }).ClickAsync();
        await SsoBroker.SignInAtProviderAsync(page, SsoBroker.Editor);

        await Navigation.ArrivedAsync(page, "/ui");
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync(SsoBroker.Editor);
        await page.GotoAsync("/ui/vaults");
        await Expect(page.Locator("main")).ToContainTextAsync("dev");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("prod");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stores" })).ToHaveCountAsync(0);

        await page.GotoAsync("/ui/vaults/dev");
        await page.Locator("#credential-key").FillAsync("FROM_ERIN");
        await page.Locator("#credential-ref").FillAsync("local:erin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential reference" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "local:erin", Exact = true })).ToBeVisibleAsync();

        await page.GotoAsync("/ui/audit");
        var row = page.Locator("tr[data-action='credential.put']");
        await Expect(row).ToContainTextAsync(SsoBroker.Editor);
        await Expect(page.Locator("tr[data-action='session.sign_in']").First).ToContainTextAsync(SsoBroker.Editor);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/ui/vaults");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?return=%2Fui%2Fvaults$"));
    }

    [Fact]
    public async Task AnUnverifiedEmail_IsNotSignedIn()
    {
        await using var tab = await browser.OpenTabAsync(sso.ApiUrl, acceptTestCertificates: true);
        var page = tab.Page;
        await page.GotoAsync("/login/oidc?return=/ui");
        await SsoBroker.SignInAtProviderAsync(page, "unverified-mallory@example.com");

        await Expect(page.Locator("#sso-error")).ToContainTextAsync("not vouch for a verified email");
        var cookies = await tab.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "agent_vault_session");
    }

    [Fact]
    public async Task ATamperedCallback_IsRefused_WithoutASession()
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = sso.ApiUrl };

        using var answer = await client.GetAsync("/signin-oidc?code=made-up&state=CfDJ8-not-a-state");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/login?sso=failed", answer.Headers.Location?.OriginalString);
        Assert.False(answer.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("agent_vault_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheDeviceFlow_SignsTheCliIn_AndLogoutOrRevocationEndsItAtOnce()
    {
        var config = Directory.CreateTempSubdirectory("av-cli-config-").FullName;
        using (var login = sso.StartCli(config, "login", "--device"))
        {
            var address = await login.WordAfterAsync("To sign in, open ");
            var code = await login.WordAfterAsync("and confirm the code ");
            await using var tab = await browser.OpenTabAsync(acceptTestCertificates: true);
            await tab.Page.GotoAsync(address);
            await Expect(tab.Page.Locator("body")).ToContainTextAsync(code);
            await tab.Page.Locator("button[autofocus]").ClickAsync();
            await SsoBroker.SignInAtProviderAsync(tab.Page, SsoBroker.Editor);

            Assert.True(await login.ExitCodeAsync() == 0, login.Output);
            Assert.Contains($"signed in as {SsoBroker.Editor}", login.Output, StringComparison.Ordinal);
        }

        var file = Path.Combine(config, "session");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(file));
        await AssertCliAsync(config, 0, SsoBroker.Editor, "whoami");
        await AssertCliAsync(config, 0, "FROM_THE_CLI", "vault", "credential", "set", "--vault", "dev", "FROM_THE_CLI=local:cli");
        await AssertCliAsync(config, 1, "editor role in vault 'prod'", "vault", "credential", "set", "--vault", "prod", "X=local:x");

        await AssertCliAsync(config, 0, "signed out", "logout");
        Assert.False(File.Exists(file));
        await AssertCliAsync(config, 1, "not signed in", "whoami");
    }

    [Fact]
    public async Task TheLoopbackBrowserFlow_SignsTheCliIn_AndARevokedSessionStopsAtOnce()
    {
        var config = Directory.CreateTempSubdirectory("av-cli-config-").FullName;
        using (var login = sso.StartCli(config, "login", "--no-browser"))
        {
            var address = await login.WordAfterAsync("To sign in, open ");
            await using var tab = await browser.OpenTabAsync(acceptTestCertificates: true);
            await tab.Page.GotoAsync(address);
            await SsoBroker.SignInAtProviderAsync(tab.Page, SsoBroker.Viewer);
            await Expect(tab.Page.Locator("body")).ToContainTextAsync("Signed in. You can close this window");

            Assert.True(await login.ExitCodeAsync() == 0, login.Output);
        }

        await AssertCliAsync(config, 0, "viewer of prod", "whoami");
        var sessionId = await sso.SessionIdOfAsync(SsoBroker.Viewer);
        using (var admin = sso.Admin())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/sessions/{sessionId}")).StatusCode);
        }

        await AssertCliAsync(config, 1, "revoked", "whoami");
        using var audit = sso.Admin();
        var entries = JsonDocument.Parse(await audit.GetStringAsync("v1/audit?actor=" + Uri.EscapeDataString(SsoBroker.Viewer))).RootElement.GetProperty("items");
        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("action").GetString() == "session.sign_in" && e.GetProperty("summary").GetString()!.Contains("CLI", StringComparison.Ordinal));
    }

    private async Task AssertCliAsync(string config, int exitCode, string expected, params string[] args)
    {
        using var cli = sso.StartCli(config, args);
        var code = await cli.ExitCodeAsync();
        Assert.True(code == exitCode && cli.Output.Contains(expected, StringComparison.Ordinal), $"agent-vault {string.Join(' ', args)} → {code}:\n{cli.Output}");
    }
}
