using System.Net;
using System.Text.RegularExpressions;

namespace AgentVault.Testing.WebConsole;

/// <summary>
/// A browser-like client of the web console over plain HTTP: keeps cookies, signs in with the admin token through the
/// login form (antiforgery token included), reads pages, and posts forms with the antiforgery token of the page they came
/// from. For console tests that do not need a real browser.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(Uri apiUrl)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = apiUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>Signs in through <c>/login</c>; returns the answer to the form post (302 to <c>/ui</c> on success).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string adminToken)
    {
        var form = await GetPageAsync("/login");
        return await PostFormAsync("/login", form, new Dictionary<string, string> { ["_handler"] = "login", ["Token"] = adminToken });
    }

    /// <summary>GETs a page and returns its HTML (following no redirect: a 302 gives an empty string).</summary>
    public async Task<string> GetPageAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Posts a form: the antiforgery token is taken from <paramref name="pageHtml"/> (the page the form is on), the other
    /// fields from <paramref name="fields"/>.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, string pageHtml, IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields);
        if (AntiforgeryToken(pageHtml) is { } token)
        {
            values["__RequestVerificationToken"] = token;
        }

        return await _http.PostAsync(path, new FormUrlEncodedContent(values));
    }

    /// <summary>The antiforgery token in a page's first form, or null.</summary>
    public static string? AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
