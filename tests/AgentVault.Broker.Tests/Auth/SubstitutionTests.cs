using System.Text;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Tests.Auth;

public sealed class SubstitutionTests
{
    private const string Secret = "a/b c?d&e=f+g%\"\\h";

    private static SubstitutionSet Set(params string[] surfaces) => SubstitutionSet.Compile(
    [
        new SubstitutionDefinition { Key = "TG_TOKEN", Placeholder = "__tg_token__", In = surfaces.Length == 0 ? null : [.. surfaces] },
    ]);

    private static async Task<(HttpRequestMessage Proxy, HttpContext Context, FakeCredentials Credentials)> ApplyAsync(
        SubstitutionSet set, string url, string? body = null, string? contentType = null, Action<HttpRequestMessage>? setup = null, string? contentEncoding = null)
    {
        var proxy = new HttpRequestMessage(HttpMethod.Post, url);
        var context = new DefaultHttpContext();
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
            if (contentEncoding is not null)
            {
                context.Request.Headers.ContentEncoding = contentEncoding;
            }

            proxy.Content = new StreamContent(Stream.Null);
            proxy.Content.Headers.ContentLength = bytes.Length;
        }

        setup?.Invoke(proxy);
        var credentials = new FakeCredentials(new() { ["TG_TOKEN"] = Secret, ["CRLF"] = "x\r\ny" });
        await set.ApplyAsync(proxy, context.Request, credentials, CancellationToken.None);
        return (proxy, context, credentials);
    }

    private static async Task<string> BodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [InlineData("https://api.telegram.org/bot__tg_token__/sendMessage", "/bota%2Fb%20c%3Fd%26e%3Df%2Bg%25%22%5Ch/sendMessage", "")]
    [InlineData("https://api.telegram.org/x?token=__tg_token__&a=1", "/x", "?token=a%2Fb%20c%3Fd%26e%3Df%2Bg%25%22%5Ch&a=1")]
    [InlineData("https://api.telegram.org/__tg_token__?q=__tg_token__", "/a%2Fb%20c%3Fd%26e%3Df%2Bg%25%22%5Ch", "?q=a%2Fb%20c%3Fd%26e%3Df%2Bg%25%22%5Ch")]
    public async Task DefaultSurfaces_EncodeTheValueForPathAndQuery(string url, string path, string query)
    {
        var (proxy, _, _) = await ApplyAsync(Set(), url);

        Assert.Equal(path, proxy.RequestUri!.AbsolutePath);
        Assert.Equal(query, proxy.RequestUri.Query);
        Assert.Equal("api.telegram.org", proxy.RequestUri.Host);
    }

    [Theory]
    [InlineData("path", "https://h.test/x?q=__tg_token__")]
    [InlineData("query", "https://h.test/__tg_token__")]
    [InlineData("header", "https://h.test/__tg_token__?q=__tg_token__")]
    public async Task UndeclaredSurface_IsLeftAlone(string surface, string url)
    {
        var (proxy, _, credentials) = await ApplyAsync(Set(surface), url);

        Assert.Equal(new Uri(url), proxy.RequestUri);
        Assert.Empty(credentials.Requested);
    }

    [Fact]
    public async Task Header_IsReplacedRawOnlyWhenDeclared()
    {
        var (proxy, _, _) = await ApplyAsync(Set("header"), "https://h.test/", setup: r => r.Headers.TryAddWithoutValidation("X-Token", "tok __tg_token__"));

        Assert.Equal(["tok " + Secret], proxy.Headers.GetValues("X-Token"));
    }

    [Fact]
    public async Task HeaderValueWithCrLf_IsRefused()
    {
        var set = SubstitutionSet.Compile([new SubstitutionDefinition { Key = "CRLF", Placeholder = "__crlf__", In = ["header"] }]);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() =>
            ApplyAsync(set, "https://h.test/", setup: r => r.Headers.TryAddWithoutValidation("X-Token", "__crlf__")));

        Assert.Equal("CRLF", ex.CredentialKey);
        Assert.DoesNotContain("x\r\ny", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/vnd.api+json; charset=utf-8")]
    public async Task JsonBody_ReplacesInsideStringsWithJsonEscaping(string contentType)
    {
        const string body = """{"token":"__tg_token__","nested":{"__tg_token__":["x-__tg_token__-y"]},"esc":"\"__tg_token__\\"}""";

        var (proxy, context, _) = await ApplyAsync(Set("body"), "https://h.test/", body, contentType);
        var sent = await BodyAsync(context);

        var escaped = "a/b c?d&e=f+g%\\\"\\\\h";
        Assert.Equal($$"""{"token":"{{escaped}}","nested":{"{{escaped}}":["x-{{escaped}}-y"]},"esc":"\"{{escaped}}\\"}""", sent);
        Assert.Equal(Encoding.UTF8.GetByteCount(sent), proxy.Content!.Headers.ContentLength);
        Assert.Equal(proxy.Content.Headers.ContentLength, context.Request.ContentLength);
        Assert.Equal(Secret, System.Text.Json.JsonDocument.Parse(sent).RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public async Task JsonBody_PlaceholderOutsideStrings_IsNotReplaced()
    {
        const string body = """{"a": __tg_token__ }""";

        var (_, context, credentials) = await ApplyAsync(Set("body"), "https://h.test/", body, "application/json");

        Assert.Equal(body, await BodyAsync(context));
        Assert.Single(credentials.Requested);
    }

    [Fact]
    public async Task FormBody_IsFormEncoded()
    {
        var (proxy, context, _) = await ApplyAsync(Set("body"), "https://h.test/", "a=1&token=__tg_token__", "application/x-www-form-urlencoded");
        var sent = await BodyAsync(context);

        Assert.Equal("a=1&token=a%2Fb%20c%3Fd%26e%3Df%2Bg%25%22%5Ch", sent);
        Assert.Equal(sent.Length, proxy.Content!.Headers.ContentLength);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=x", null)]
    [InlineData("text/plain", null)]
    [InlineData("application/json", "gzip")]
    [InlineData("application/json; charset=utf-16", null)]
    public async Task OtherBodies_AreLeftAlone(string contentType, string? encoding)
    {
        const string body = """{"token":"__tg_token__"}""";

        var (proxy, context, credentials) = await ApplyAsync(Set("body"), "https://h.test/", body, contentType, contentEncoding: encoding);

        Assert.Equal(body, await BodyAsync(context));
        Assert.Equal(body.Length, proxy.Content!.Headers.ContentLength);
        Assert.Empty(credentials.Requested);
    }

    [Fact]
    public async Task BodyOverTheBound_IsStreamedUnchanged()
    {
        var set = SubstitutionSet.Compile([new SubstitutionDefinition { Key = "TG_TOKEN", Placeholder = "__tg_token__", In = ["body"] }], maxBodyBytes: 16);
        var body = """{"token":"__tg_token__","pad":"0123456789"}""";
        var proxy = new HttpRequestMessage(HttpMethod.Post, "https://h.test/") { Content = new StreamContent(Stream.Null) };
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = "application/json";

        await set.ApplyAsync(proxy, context.Request, new FakeCredentials([]), CancellationToken.None);

        Assert.Equal(body, await BodyAsync(context));
    }

    [Fact]
    public async Task BodyWithoutPlaceholder_IsRestoredAndNoKeyIsResolved()
    {
        var (_, context, credentials) = await ApplyAsync(Set("body", "path"), "https://h.test/x", """{"a":"b"}""", "application/json");

        Assert.Equal("""{"a":"b"}""", await BodyAsync(context));
        Assert.Empty(credentials.Requested);
    }

    [Theory]
    [InlineData("TG_TOKEN", "__tg_token__", null, null)]
    [InlineData("tg_token", "__tg_token__", null, "substitutions[0].key")]
    [InlineData("TG_TOKEN", "ab", null, "substitutions[0].placeholder")]
    [InlineData("TG_TOKEN", "{{tg}}", null, "substitutions[0].placeholder")]
    [InlineData("TG_TOKEN", "__tg_token__", "cookie", "substitutions[0].in")]
    [InlineData("TG_TOKEN", "__tg_token__", "", "substitutions[0].in")]
    public void Validator_ReportsProblems(string key, string placeholder, string? surfaces, string? expectedPath)
    {
        var validation = new SettingsValidation();
        List<string>? surfaceList = surfaces is null ? null : surfaces.Length == 0 ? [] : [.. surfaces.Split(',')];

        SubstitutionValidator.Validate([new SubstitutionDefinition { Key = key, Placeholder = placeholder, In = surfaceList }], validation);

        if (expectedPath is null)
        {
            Assert.True(validation.IsValid);
        }
        else
        {
            Assert.Contains(validation.Problems, p => p.Path == expectedPath);
        }
    }

    [Fact]
    public void Validator_RefusesDuplicatePlaceholders()
    {
        var validation = new SettingsValidation();

        SubstitutionValidator.Validate(
        [
            new SubstitutionDefinition { Key = "A", Placeholder = "__same__" },
            new SubstitutionDefinition { Key = "B", Placeholder = "__same__" },
        ], validation);

        Assert.Contains(validation.Problems, p => p.Path == "substitutions[1].placeholder");
    }
}
