using System.Diagnostics;
using System.Text.Json;
using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Console.Tests.Smoke;

/// <summary>Chromium reaches the real broker's API listener (started as a process, like every functional test does).</summary>
public sealed class BrokerPageTests(BrowserSession browser, ITestOutputHelper output) : BrowserTest(browser)
{
    [Fact]
    public async Task Healthz_ShowsStatusOk()
    {
        await using var broker = await BrokerEnvironment.StartAsync();

        var clock = Stopwatch.StartNew();
        var response = await Tab.Page.GotoAsync(new Uri(broker.Process.ApiUrl, "/healthz").AbsoluteUri);
        var text = await Tab.Page.Locator("body").InnerTextAsync();
        output.WriteLine($"Chromium {Browser.Version}: started in {Browser.StartDuration.TotalMilliseconds:F0} ms, /healthz opened in {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        // Chromium shows JSON as text (its JSON viewer may add a "pretty-print" control): find the object in it.
        var json = text[text.IndexOf('{', StringComparison.Ordinal)..(text.LastIndexOf('}') + 1)];
        using var document = JsonDocument.Parse(json);
        Assert.Equal("ok", document.RootElement.GetProperty("status").GetString());
        // Chromium also asks for /favicon.ico, which the API listener does not serve (a console page links its own icon).
        Assert.All(Tab.TakeProblems(), problem => Assert.Contains("/favicon.ico", problem, StringComparison.Ordinal));
    }
}
