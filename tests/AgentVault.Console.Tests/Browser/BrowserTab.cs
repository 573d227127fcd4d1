using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Browser;

/// <summary>
/// One page in its own browser context. Records what a person would see as broken: console errors (a Content-Security-Policy
/// violation is one), uncaught script errors, requests that failed (blocked, refused) and answers with an HTTP error status.
/// </summary>
public sealed class BrowserTab : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    internal BrowserTab(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text} (at {message.Location})");
            }
        };
        page.PageError += (_, error) => Record("uncaught script error: " + error);
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Record($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Returns the problems recorded so far and forgets them (for a test that expects some).</summary>
    public IReadOnlyList<string> TakeProblems()
    {
        lock (_problems)
        {
            var taken = _problems.ToList();
            _problems.Clear();
            return taken;
        }
    }

    /// <summary>Fails when the page logged a console error, threw, or had a request fail since the last check.</summary>
    public void AssertNoProblems()
    {
        var problems = TakeProblems();
        Assert.True(problems.Count == 0, $"the page at {Page.Url} had {problems.Count} problem(s):\n" + string.Join('\n', problems));
    }

    /// <summary>Closes the context (and its cookies) without checking: a test ends with <see cref="AssertNoProblems"/> (or <see cref="BrowserTest"/> does it).</summary>
    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
