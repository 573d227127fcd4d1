using AgentVault.Console.Tests.Browser;
using Xunit.Sdk;

namespace AgentVault.Console.Tests.Smoke;

/// <summary>The axe helper fails a page with a serious violation, says which rule and element, and passes a clean page.</summary>
public sealed class AccessibilityCheckTests(BrowserSession browser) : BrowserTest(browser)
{
    private const string Head = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Axe check</title></head>""";

    [Fact]
    public async Task ImageWithoutAlt_FailsWithRuleAndNode()
    {
        await Tab.Page.SetContentAsync(Head + """<body><main><h1>Stores</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="logo"></main></body></html>""");

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => Accessibility.AssertAccessibleAsync(Tab.Page));

        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#logo", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputWithoutLabel_FailsWithRuleAndNode()
    {
        await Tab.Page.SetContentAsync(Head + """<body><main><h1>Sign in</h1><form><input type="password" name="token" id="token"><button>Sign in</button></form></main></body></html>""");

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => Accessibility.AssertAccessibleAsync(Tab.Page));

        Assert.Contains("label (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#token", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelledFormWithAltText_Passes()
    {
        await Tab.Page.SetContentAsync(Head + """
            <body><main><h1>Sign in</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Agent Vault">
            <form><label for="token">Admin token</label><input type="password" name="token" id="token"><button>Sign in</button></form>
            </main></body></html>
            """);

        await Accessibility.AssertAccessibleAsync(Tab.Page);
    }
}
