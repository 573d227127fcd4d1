using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// Everything the console answered to one <see cref="ConsoleClient"/>: status line, headers and body of every answer, kept
/// so a test can search them all (for a secret, a token) and name the answer a value was found in. Also crawls the
/// console: every page, then every same-site link and script or style source they name.
/// </summary>
internal sealed partial class ConsoleAnswers(ConsoleClient console)
{
    private readonly List<Answer> _answers = [];

    public IReadOnlyList<Answer> All => _answers;

    /// <summary>The values of every <c>Set-Cookie</c> header received.</summary>
    public IEnumerable<string> SetCookies => _answers.SelectMany(a => a.SetCookies);

    /// <summary>GETs <paramref name="path"/> and records the answer.</summary>
    public async Task<Answer> GetAsync(string path)
    {
        using var response = await console.Http.GetAsync(path);
        return await RecordAsync("GET " + path, response);
    }

    /// <summary>Posts a form of the page at <paramref name="pagePath"/> (fetched first, for its antiforgery token) and records both answers.</summary>
    public async Task<Answer> PostFormAsync(string pagePath, IReadOnlyDictionary<string, string> fields)
    {
        var page = await GetAsync(pagePath);
        using var response = await console.PostFormAsync(pagePath, page.Body, fields);
        return await RecordAsync($"POST {pagePath} ({fields["_handler"]})", response);
    }

    /// <summary>Records an answer received elsewhere (the sign-in, the log stream).</summary>
    public async Task<Answer> RecordAsync(string what, HttpResponseMessage response, string? body = null)
    {
        body ??= await response.Content.ReadAsStringAsync();
        var headers = new StringBuilder();
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers.Append(header.Key).Append(": ").AppendJoin(", ", header.Value).Append('\n');
        }

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var answer = new Answer(what, (int)response.StatusCode, headers.ToString(), body, cookies);
        _answers.Add(answer);
        return answer;
    }

    /// <summary>
    /// Fetches <paramref name="start"/> and every same-site URL their answers link to (<c>href</c>, <c>src</c>,
    /// <c>action</c> of GET forms excluded), breadth first, at most <paramref name="limit"/> URLs; returns the paths fetched.
    /// </summary>
    public async Task<List<string>> CrawlAsync(IEnumerable<string> start, int limit = 200)
    {
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var queue = new Queue<string>(seen);
        var fetched = new List<string>();
        while (queue.TryDequeue(out var path) && fetched.Count < limit)
        {
            var answer = await GetAsync(path);
            fetched.Add(path);
            if (!answer.Headers.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (Match link in LinkPattern().Matches(answer.Body))
            {
                var target = WebUtility.HtmlDecode(link.Groups[1].Value);
                if (target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal) && seen.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return fetched;
    }

    [GeneratedRegex("(?:href|src)=\"([^\"#]+)")]
    private static partial Regex LinkPattern();

    /// <summary>One answer: what was asked, its status, its headers as text, its body, its <c>Set-Cookie</c> values.</summary>
    internal sealed record Answer(string What, int Status, string Headers, string Body, IReadOnlyList<string> SetCookies)
    {
        public bool Contains(string value) =>
            Headers.Contains(value, StringComparison.Ordinal) || Body.Contains(value, StringComparison.Ordinal)
            || WebUtility.HtmlDecode(Body).Contains(value, StringComparison.Ordinal);
    }
}
