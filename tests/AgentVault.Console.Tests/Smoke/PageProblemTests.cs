using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Fakes;
using Microsoft.AspNetCore.Http;
using Xunit.Sdk;

namespace AgentVault.Console.Tests.Smoke;

/// <summary>What a person would see as broken is recorded by the tab and fails the test: a CSP violation, a missing asset.</summary>
public sealed class PageProblemTests(BrowserSession browser) : BrowserTest(browser)
{
    private const string Head = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Problems</title><link rel="icon" href="data:,">""";

    [Fact]
    public async Task InlineScriptUnderStrictCsp_IsRecordedAsProblem()
    {
        await using var site = await StartSiteAsync();

        await Tab.Page.GotoAsync(new Uri(site.Address, "/csp").AbsoluteUri);

        var failure = Assert.ThrowsAny<XunitException>(Tab.AssertNoProblems);
        Assert.Contains("Content Security Policy", failure.Message, StringComparison.Ordinal);
        Assert.Equal("blocked", await Tab.Page.Locator("#state").InnerTextAsync());
    }

    [Fact]
    public async Task MissingStylesheet_IsRecordedAsProblem()
    {
        await using var site = await StartSiteAsync();

        await Tab.Page.GotoAsync(new Uri(site.Address, "/missing-asset").AbsoluteUri);

        var problems = Tab.TakeProblems();
        Assert.Contains(problems, p => p.StartsWith("HTTP 404: GET ", StringComparison.Ordinal) && p.EndsWith("/missing.css", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CleanPageUnderStrictCsp_PassesAxeAndScreenshotIsPng()
    {
        await using var site = await StartSiteAsync();
        var path = Path.Combine(Path.GetTempPath(), "agent-vault-screenshot-" + Guid.NewGuid().ToString("N") + ".png");

        await Tab.Page.GotoAsync(new Uri(site.Address, "/clean").AbsoluteUri);
        // axe is injected through the DevTools protocol, which the page's CSP (no inline scripts, no eval) does not block.
        await Accessibility.AssertAccessibleAsync(Tab.Page);
        try
        {
            await Screenshots.SaveAsync(Tab.Page, path);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally
        {
            File.Delete(path);
        }

        Tab.AssertNoProblems();
    }

    /// <summary>A throwaway site: <c>/csp</c> (inline script under a strict CSP), <c>/missing-asset</c>, <c>/clean</c>.</summary>
    private static Task<FakeHttpHost> StartSiteAsync() => FakeHttpHost.StartAsync(async context =>
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:";
        var body = context.Request.Path.Value switch
        {
            "/csp" => """</head><body><main><h1>CSP</h1><p id="state">blocked</p><script>document.getElementById('state').textContent = 'ran';</script></main></body></html>""",
            "/missing-asset" => """<link rel="stylesheet" href="/missing.css"></head><body><main><h1>Missing asset</h1></main></body></html>""",
            "/clean" => """</head><body><main><h1>Clean</h1><p>Nothing wrong here.</p></main></body></html>""",
            _ => null,
        };
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await context.Response.WriteAsync(Head + body, context.RequestAborted);
    });
}
