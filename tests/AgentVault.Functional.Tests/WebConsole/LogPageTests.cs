using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.Proxy;
using AgentVault.Testing.WebConsole;
using Xunit;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// The request log page (<c>/ui/logs</c>, SPEC §13) and its live stream (<c>/ui/logs/stream</c>) against the real broker:
/// proxied and refused requests as rows with their data attributes, filters, unmatched hosts, the stream, and markup in
/// agent-chosen fields rendered as text.
/// </summary>
public sealed partial class LogPageTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ProxiedRequest_AppearsAsARow_WithItsDataAttributes()
    {
        using var console = await SignedInAsync();
        var path = "/echo/bearer/" + Marker();

        await RequestAsync(fixture.Token, $"https://api.upstream.test:{fixture.Upstream.Port}{path}", HttpStatusCode.OK);

        var row = await WaitForRowAsync(console, "/ui/logs", path);
        Assert.Equal("claude", row.Attributes["data-agent"]);
        Assert.Equal("dev", row.Attributes["data-vault"]);
        Assert.Equal("bearer", row.Attributes["data-service"]);
        Assert.Equal("200", row.Attributes["data-status"]);
        Assert.Equal("", row.Attributes["data-error"]);
        Assert.Equal("ok", row.Outcome);
        Assert.Contains("api.upstream.test:" + fixture.Upstream.Port, row.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequest_ShowsItsError_AndItsHostUnderUnmatchedHosts_WithACreateLink()
    {
        using var console = await SignedInAsync();
        var host = Marker() + ".unlisted.test";

        await RequestAsync(fixture.Token, $"http://{host}/anything", HttpStatusCode.Forbidden);

        var row = await WaitForRowAsync(console, "/ui/logs", host);
        Assert.Equal("403", row.Attributes["data-status"]);
        Assert.Equal("host_not_allowed", row.Attributes["data-error"]);
        Assert.Equal("refused", row.Outcome);
        Assert.Contains("<span class=\"badge refused\">host_not_allowed</span>", row.Html, StringComparison.Ordinal);
        var page = await console.GetPageAsync("/ui/logs");
        var unmatched = page[page.IndexOf("id=\"unmatched-hosts\"", StringComparison.Ordinal)..];
        Assert.Contains($"<tr data-vault=\"dev\" data-host=\"{host}:80\">", unmatched, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/ui/vaults/dev?host={host}%3A80\">Create a service</a>", unmatched, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_ShowOnlyTheMatchingRecords()
    {
        using var console = await SignedInAsync();
        var other = "logs-" + Marker();
        var otherToken = await fixture.Environment.CreateAgentAsync(other, "dev");
        var okPath = "/echo/apikey/" + Marker();
        var refusedHost = Marker() + ".unlisted.test";
        await RequestAsync(fixture.Token, $"https://api.upstream.test:{fixture.Upstream.Port}{okPath}", HttpStatusCode.OK);
        await RequestAsync(otherToken, $"http://{refusedHost}/x", HttpStatusCode.Forbidden);
        await WaitForRowAsync(console, "/ui/logs", okPath);
        await WaitForRowAsync(console, "/ui/logs", refusedHost);

        Assert.Equal((false, true), await ShownAsync("?status=refused"));
        Assert.Equal((true, false), await ShownAsync("?status=ok"));
        Assert.Equal((true, false), await ShownAsync("?status=200&service=apikey"));
        Assert.Equal((false, true), await ShownAsync("?error=host_not_allowed&agent=" + other));
        Assert.Equal((false, false), await ShownAsync("?agent=" + other + "&status=ok"));
        Assert.Equal((false, false), await ShownAsync("?vault=no-such-vault"));
        var bad = await console.GetPageAsync("/ui/logs?status=maybe");
        Assert.Contains("Status must be ok, refused or a status code", bad, StringComparison.Ordinal);

        async Task<(bool Ok, bool Refused)> ShownAsync(string query)
        {
            var rows = Rows(await console.GetPageAsync("/ui/logs" + query));
            return (rows.Any(r => r.Html.Contains(okPath, StringComparison.Ordinal)), rows.Any(r => r.Html.Contains(refusedHost, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Stream_WithoutASession_Is401()
    {
        using var anonymous = new ConsoleClient(fixture.Broker.ApiUrl);

        using var answer = await anonymous.Http.GetAsync("/ui/logs/stream");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task Stream_DeliversARecordMadeAfterItOpened_ThatMatchesItsFilters()
    {
        using var console = await SignedInAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/logs/stream?status=refused");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await console.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(deadline.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(deadline.Token));
        var okPath = "/echo/bearer/" + Marker();
        var refusedHost = Marker() + ".unlisted.test";

        // The successful request is logged first; the stream's filter (refused) must drop it and deliver the refusal.
        await RequestAsync(fixture.Token, $"https://api.upstream.test:{fixture.Upstream.Port}{okPath}", HttpStatusCode.OK);
        await fixture.Environment.WaitForLogAsync(r => r.GetProperty("path").GetString() == okPath, okPath);
        await RequestAsync(fixture.Token, $"http://{refusedHost}/x", HttpStatusCode.Forbidden);

        var events = new List<string>();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line);
                if (line.Contains(refusedHost, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        Assert.Contains(events, e => e.Contains(refusedHost, StringComparison.Ordinal) && e.Contains("\"error\":\"host_not_allowed\"", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Contains(okPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_EndsWithTheSession_BeforeSendingAnotherRecord()
    {
        using var console = await SignedInAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        using var stream = await console.Http.GetAsync("/ui/logs/stream", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(deadline.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(deadline.Token));
        var page = await console.GetPageAsync("/ui/logs");
        using var signOut = await console.PostFormAsync("/logout", page, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var host = Marker() + ".unlisted.test";

        await RequestAsync(fixture.Token, $"http://{host}/x", HttpStatusCode.Forbidden);

        var rest = await reader.ReadToEndAsync(deadline.Token);
        Assert.DoesNotContain(host, rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathWithMarkup_IsRenderedAsText()
    {
        using var console = await SignedInAsync();
        var marker = Marker();
        var path = $"/echo/bearer/{marker}/<img src=x onerror=alert(1)>";

        await RequestAsync(fixture.Token, $"https://api.upstream.test:{fixture.Upstream.Port}{path}", HttpStatusCode.OK);

        var row = await WaitForRowAsync(console, "/ui/logs", marker);
        Assert.Contains($"/echo/bearer/{marker}/&lt;img src=x onerror=alert(1)&gt;", row.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", row.Html, StringComparison.Ordinal);
    }

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..10];

    private async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(fixture.Broker.ApiUrl);
        using var signIn = await console.SignInAsync(fixture.Broker.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return console;
    }

    private async Task RequestAsync(string token, string url, HttpStatusCode expected)
    {
        using var client = fixture.Environment.CreateClient(token);
        using var response = await client.GetAsync(new Uri(url));
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Reads the page until a row containing <paramref name="text"/> is there (records are written after the answer).</summary>
    private static async Task<LogRowHtml> WaitForRowAsync(ConsoleClient console, string page, string text)
    {
        var until = DateTime.UtcNow + Deadline;
        string html;
        do
        {
            html = await console.GetPageAsync(page);
            if (Rows(html).FirstOrDefault(r => r.Html.Contains(text, StringComparison.Ordinal)) is { } row)
            {
                return row;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"no row with {text} on {page}:\n{html}");
    }

    private static List<LogRowHtml> Rows(string html) =>
        [.. RowPattern().Matches(html).Select(m => new LogRowHtml(
            m.Groups["outcome"].Value,
            AttributePattern().Matches(m.Groups["attributes"].Value).ToDictionary(a => a.Groups[1].Value, a => WebUtility.HtmlDecode(a.Groups[2].Value), StringComparer.Ordinal),
            m.Value))];

    [GeneratedRegex("<tr class=\"log-row (?<outcome>ok|refused)\"(?<attributes>[^>]*)>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("(data-[a-z]+)=\"([^\"]*)\"")]
    private static partial Regex AttributePattern();
}
