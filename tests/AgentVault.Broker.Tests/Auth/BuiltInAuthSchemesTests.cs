using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;

namespace AgentVault.Broker.Tests.Auth;

public sealed class BuiltInAuthSchemesTests
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["TOKEN"] = "s3cr3t-token",
        ["USER"] = "alice",
        ["PASS"] = "p@ss:word",
        ["API_KEY"] = "key-123",
        ["TENANT"] = "tenant-9",
        ["BAD"] = "evil\r\nX-Injected: 1",
        ["COLON_USER"] = "a:b",
    };

    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""", "Authorization", "Bearer s3cr3t-token")]
    [InlineData("api-key", """{"key":"API_KEY"}""", "Authorization", "key-123")]
    [InlineData("api-key", """{"key":"API_KEY","header":"x-api-key"}""", "x-api-key", "key-123")]
    [InlineData("api-key", """{"key":"API_KEY","header":"Authorization","prefix":"Token "}""", "Authorization", "Token key-123")]
    [InlineData("basic", """{"username":"USER","password":"PASS"}""", "Authorization", "Basic YWxpY2U6cEBzczp3b3Jk")]
    [InlineData("basic", """{"username":"API_KEY"}""", "Authorization", "Basic a2V5LTEyMzo=")]
    [InlineData("custom", """{"headers":{"X-Key":"{{ API_KEY }}","X-Combo":"t={{TENANT}};k={{ API_KEY }}"}}""", "X-Combo", "t=tenant-9;k=key-123")]
    public async Task Scheme_SetsHeaderAndReplacesAgentValue(string scheme, string settings, string header, string expected)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/x");
        message.Headers.TryAddWithoutValidation(header, "agent-dummy");
        var request = new AuthRequest(message, new FakeCredentials(Secrets));

        await AuthTestContext.Create(scheme, settings).ApplyAsync(request, CancellationToken.None);

        Assert.Equal([expected], message.Headers.GetValues(header));
    }

    // Regression: a request with a body (content headers present) made header removal throw, so every POST with
    // Content-Type through a header-setting scheme failed with 502 credential_unavailable.
    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""", "Authorization", "Bearer s3cr3t-token")]
    [InlineData("basic", """{"username":"USER","password":"PASS"}""", "Authorization", "Basic YWxpY2U6cEBzczp3b3Jk")]
    [InlineData("api-key", """{"key":"API_KEY","header":"x-api-key"}""", "x-api-key", "key-123")]
    [InlineData("custom", """{"headers":{"X-Key":"{{ API_KEY }}"}}""", "X-Key", "key-123")]
    public async Task Scheme_OnRequestWithJsonBody_SetsHeaderAndKeepsBody(string scheme, string settings, string header, string expected)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "https://api.example.com/x")
        {
            Content = new StringContent("""{"a":1}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation(header, "agent-dummy");
        var request = new AuthRequest(message, new FakeCredentials(Secrets));

        await AuthTestContext.Create(scheme, settings).ApplyAsync(request, CancellationToken.None);

        Assert.Equal([expected], message.Headers.GetValues(header));
        Assert.Equal("""{"a":1}""", await message.Content.ReadAsStringAsync());
        Assert.Equal("application/json", message.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""", new[] { "s3cr3t-token" })]
    [InlineData("basic", """{"username":"USER","password":"PASS"}""", new[] { "p@ss:word", "YWxpY2U6cEBzczp3b3Jk" })]
    [InlineData("basic", """{"username":"API_KEY"}""", new[] { "key-123", "a2V5LTEyMzo=" })]
    [InlineData("custom", """{"headers":{"X-Combo":"{{TENANT}}/{{ API_KEY }}"}}""", new[] { "tenant-9", "key-123" })]
    [InlineData("passthrough", "{}", new string[0])]
    public async Task Scheme_RegistersInjectedValuesForRedaction(string scheme, string settings, string[] expected)
    {
        var request = new AuthRequest(new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/"), new FakeCredentials(Secrets));

        await AuthTestContext.Create(scheme, settings).ApplyAsync(request, CancellationToken.None);

        Assert.Equal(expected.Order(), request.InjectedValues.Order());
    }

    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""", new[] { "Authorization" })]
    [InlineData("basic", """{"username":"USER"}""", new[] { "Authorization" })]
    [InlineData("api-key", """{"key":"API_KEY"}""", new[] { "Authorization" })]
    [InlineData("api-key", """{"key":"API_KEY","header":"x-api-key"}""", new[] { "x-api-key" })]
    [InlineData("custom", """{"headers":{"X-A":"{{ TOKEN }}","X-B":"lit"}}""", new[] { "X-A", "X-B" })]
    [InlineData("passthrough", "{}", new string[0])]
    public void Scheme_StripsTheHeadersItSets(string scheme, string settings, string[] expected) =>
        Assert.Equal(expected, AuthTestContext.Create(scheme, settings).HeadersToStrip);

    [Fact]
    public async Task Passthrough_LeavesTheAgentsHeadersAlone()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer agent-own");
        var credentials = new FakeCredentials(Secrets);

        await AuthTestContext.Create("passthrough", "{}").ApplyAsync(new AuthRequest(message, credentials), CancellationToken.None);

        Assert.Equal(["Bearer agent-own"], message.Headers.GetValues("Authorization"));
        Assert.Empty(credentials.Requested);
    }

    [Theory]
    [InlineData("bearer", """{"token":"BAD"}""")]
    [InlineData("api-key", """{"key":"BAD"}""")]
    [InlineData("basic", """{"username":"USER","password":"BAD"}""")]
    [InlineData("custom", """{"headers":{"X-A":"{{ BAD }}"}}""")]
    [InlineData("basic", """{"username":"COLON_USER","password":"PASS"}""")]
    public async Task UnsafeCredentialValue_IsRefusedWithoutEchoingIt(string scheme, string settings)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");
        var request = new AuthRequest(message, new FakeCredentials(Secrets));

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => AuthTestContext.Create(scheme, settings).ApplyAsync(request, CancellationToken.None).AsTask());

        Assert.DoesNotContain("evil", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a:b", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.CredentialKey);
        Assert.False(message.Headers.Contains("X-Injected"));
    }

    [Theory]
    [InlineData("bearer", "{}", "token")]
    [InlineData("bearer", """{"token":"github_token"}""", "token")]
    [InlineData("bearer", """{"token":"TOKEN","tokn":"X"}""", "tokn")]
    [InlineData("basic", """{"password":"PASS"}""", "username")]
    [InlineData("basic", """{"username":"USER","password":"p-lower"}""", "password")]
    [InlineData("api-key", """{"key":"API_KEY","header":"Bad Header"}""", "header")]
    [InlineData("api-key", """{"key":"API_KEY","header":"Proxy-Authorization"}""", "header")]
    [InlineData("api-key", """{"key":"API_KEY","header":"Host"}""", "header")]
    [InlineData("api-key", """{"key":"API_KEY","prefix":"a\r\nb"}""", "prefix")]
    [InlineData("custom", "{}", "headers")]
    [InlineData("custom", """{"headers":{"X-A":"{{ API_KEY"}}""", "headers.X-A")]
    [InlineData("custom", """{"headers":{"X-A":"{{ api_key }}"}}""", "headers.X-A")]
    [InlineData("custom", """{"headers":{"Content-Length":"1"}}""", "headers.Content-Length")]
    [InlineData("custom", """{"headers":{"X-A":"x\nY: {{ API_KEY }}"}}""", "headers.X-A")]
    [InlineData("passthrough", """{"token":"TOKEN"}""", "token")]
    public void InvalidSettings_AreReportedWithTheirPath(string scheme, string settings, string path)
    {
        var problems = AuthTestContext.Validate(scheme, settings);

        Assert.Contains(problems, p => p.Path == path);
    }

    [Fact]
    public void Validate_ReportsEveryProblem()
    {
        var problems = AuthTestContext.Validate("custom", """{"headers":{"X-A":"{{ bad }}","Host":"x","X-C":5},"other":1}""");

        Assert.Equal(["headers.Host", "headers.X-A", "headers.X-C", "other"], problems.Select(p => p.Path).Distinct().Order());
    }

    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""")]
    [InlineData("basic", """{"username":"USER","password":"PASS"}""")]
    [InlineData("api-key", """{"key":"API_KEY","header":"x-api-key","prefix":"Key "}""")]
    [InlineData("custom", """{"headers":{"X-A":"{{ API_KEY }}","X-B":"v1"}}""")]
    [InlineData("passthrough", "{}")]
    public void ValidSettings_HaveNoProblems(string scheme, string settings) =>
        Assert.Empty(AuthTestContext.Validate(scheme, settings));

    [Theory]
    [InlineData("bearer", """{"token":"TOKEN"}""", new[] { "TOKEN" })]
    [InlineData("basic", """{"username":"USER","password":"PASS"}""", new[] { "USER", "PASS" })]
    [InlineData("api-key", """{"key":"API_KEY"}""", new[] { "API_KEY" })]
    [InlineData("custom", """{"headers":{"X-A":"{{ API_KEY }}:{{TENANT}}","X-B":"{{ API_KEY }}"}}""", new[] { "API_KEY", "TENANT" })]
    [InlineData("passthrough", "{}", new string[0])]
    public void CredentialKeys_AreCollectedFromSettings(string scheme, string settings, string[] expected)
    {
        var keys = AuthSchemeKeys.Collect(AuthTestContext.Factory(scheme), new PluginSettings(JsonNode.Parse(settings)!.AsObject()));

        Assert.Equal(expected, keys);
    }

    [Fact]
    public void SchemeToString_ShowsKeyNamesNotValues()
    {
        var text = AuthTestContext.Create("custom", """{"headers":{"X-A":"{{ API_KEY }}"}}""").ToString() ?? string.Empty;

        Assert.Contains("API_KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(Secrets["API_KEY"])), text, StringComparison.Ordinal);
    }
}
