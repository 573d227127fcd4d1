using System.Net;
using AgentVault.Testing.Broker;
using AgentVault.Testing.WebConsole;
using Xunit;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>Signing in to the web console (SPEC §13): the session cookie, the page headers, sign-out, and what is refused.</summary>
public sealed class ConsoleSignInTests : IAsyncLifetime
{
    private BrokerEnvironment? _broker;

    private BrokerEnvironment Broker => _broker!;

    public async Task InitializeAsync() => _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Console Sign-in CA" });

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Root_RedirectsToTheConsole_WhichRedirectsToSignIn()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);

        using var root = await console.Http.GetAsync("/");
        using var ui = await console.Http.GetAsync("/ui/vaults");

        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/ui", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
        Assert.Equal("/login?return=%2Fui%2Fvaults", ui.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithTheAdminToken_SetsAStrictHttpOnlySessionCookie_AndOpensTheOverview()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);

        using var answer = await console.SignInAsync(Broker.Process.AdminToken);
        var overview = await console.GetPageAsync("/ui");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agent_vault_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Broker.Process.AdminToken, cookie, StringComparison.Ordinal);
        Assert.Contains("<h1>Overview</h1>", overview, StringComparison.Ordinal);
        Assert.DoesNotContain(Broker.Process.AdminToken, overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAWrongToken_IsRefused_AndStartsNoSession()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);

        using var answer = await console.SignInAsync("ava_not-the-admin-token");
        var body = await answer.Content.ReadAsStringAsync();
        using var ui = await console.Http.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("That is not the admin token.", body, StringComparison.Ordinal);
        Assert.False(answer.Headers.Contains("Set-Cookie") && answer.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("agent_vault_session=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
    }

    [Fact]
    public async Task SignInPostedFromAnotherSite_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);
        await console.GetPageAsync("/login");

        using var forged = await console.Http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Token"] = Broker.Process.AdminToken,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("agent_vault_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConsolePages_CarryAStrictContentSecurityPolicy_AndRefuseFraming()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);
        await console.SignInAsync(Broker.Process.AdminToken);

        foreach (var path in new[] { "/login", "/ui" })
        {
            using var page = await console.Http.GetAsync(path);
            var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
            Assert.True(page.Headers.CacheControl?.NoStore, path + ": " + page.Headers.CacheControl);
        }
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AtOnce_AlsoForTheApi()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);
        await console.SignInAsync(Broker.Process.AdminToken);
        var session = console.Cookies.GetCookies(Broker.Process.ApiUrl)["agent_vault_session"]!.Value;
        using var api = new HttpClient { BaseAddress = Broker.Process.ApiUrl };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session);
        using var before = await api.GetAsync("/v1/vaults");

        var overview = await console.GetPageAsync("/ui");
        using var signOut = await console.PostFormAsync("/logout", overview, new Dictionary<string, string>());
        using var after = await api.GetAsync("/v1/vaults");
        using var ui = await console.Http.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
    }

    [Fact]
    public async Task SignOutPostedWithoutTheAntiforgeryToken_IsRefused_AndTheSessionLives()
    {
        using var console = new ConsoleClient(Broker.Process.ApiUrl);
        await console.SignInAsync(Broker.Process.AdminToken);

        using var forged = await console.Http.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var ui = await console.Http.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }
}
