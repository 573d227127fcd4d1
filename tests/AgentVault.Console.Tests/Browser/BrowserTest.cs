namespace AgentVault.Console.Tests.Browser;

/// <summary>
/// Base of a browser test: a fresh <see cref="Tab"/> per test, and a check after the test that the page had no problems
/// (console errors such as a CSP violation, failed requests); xunit reports that failure next to the test's own.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserSession browser) : IAsyncLifetime
{
    private BrowserTab? _tab;

    protected BrowserSession Browser { get; } = browser;

    protected BrowserTab Tab => _tab ?? throw new InvalidOperationException("the tab is opened in InitializeAsync");

    /// <summary>What the tab's relative URLs resolve against (e.g. the broker's API listener); none by default.</summary>
    protected virtual Uri? BaseUrl => null;

    public virtual async Task InitializeAsync() => _tab = await Browser.OpenTabAsync(BaseUrl);

    public virtual async Task DisposeAsync()
    {
        if (_tab is null)
        {
            return;
        }

        var problems = _tab.TakeProblems();
        await _tab.DisposeAsync();
        Assert.True(problems.Count == 0, "the page had problem(s):\n" + string.Join('\n', problems));
    }
}
