using System.Net;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Method/path rules applied with <c>agent-vault apply -f</c>, exercised through the real broker with curl sending the
/// request target exactly as written (<c>--path-as-is</c>), so encoded-path tricks reach the broker untouched.
/// Service <c>rules</c>: allow <c>GET /repos/**</c>, <c>POST /repos/*/*/pulls</c>, <c>GET /files/*.json</c>;
/// deny <c>* /repos/*/*/hooks/**</c>, <c>* /repos/*/*/keys</c>. Service <c>open</c>: deny <c>DELETE /**</c>, <c>* /admin/**</c>.
/// Service <c>closed</c>: <c>allow: []</c>.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class RuleTests(PolicyFixture fixture)
{
    public static TheoryData<string, string, string, bool> Requests => new()
    {
        // allow list, * (one segment) and ** (any number, also none)
        { "rules", "GET", "/repos/a/b", true },
        { "rules", "GET", "/repos", true },
        { "rules", "GET", "/repos/a/b/issues/1", true },
        { "rules", "POST", "/repos/a/b/pulls", true },
        { "rules", "GET", "/files/report.json", true },
        { "rules", "GET", "/repos/a/b/keysmith", true },
        { "rules", "POST", "/repos/a/pulls", false },
        { "rules", "POST", "/repos/a/b/c/pulls", false },
        { "rules", "POST", "/repos/a/b/issues", false },
        { "rules", "PUT", "/repos/a/b", false },
        { "rules", "DELETE", "/repos/a/b", false },
        { "rules", "GET", "/", false },
        { "rules", "GET", "/users/me", false },
        { "rules", "GET", "/files/report.yaml", false },
        { "rules", "GET", "/files/x/report.json", false },

        // case, trailing slash, empty segments: harmless spellings of allowed paths stay allowed
        { "rules", "GET", "/REPOS/A/B", true },
        { "rules", "POST", "/repos/a/b/pulls/", true },
        { "rules", "GET", "//repos//a/b", true },

        // deny wins over the allow list, whatever the spelling
        { "rules", "GET", "/repos/a/b/hooks", false },
        { "rules", "GET", "/repos/a/b/hooks/1", false },
        { "rules", "GET", "/repos/a/b/hooks/", false },
        { "rules", "GET", "/repos/a/b/HOOKS/1", false },
        { "rules", "GET", "/repos/a/b/keys", false },
        { "rules", "GET", "/repos/a/b/Keys/", false },
        { "rules", "GET", "/repos/a/b/%68ooks", false },
        { "rules", "GET", "/repos/a/b/%48%4F%4F%4B%53", false },
        { "rules", "GET", "/repos/a//b/hooks", false },
        { "rules", "GET", "/repos/a/b/hooks;x=1", false },
        { "rules", "GET", "/repos/a/b;v=1/hooks", false },
        { "rules", "GET", "/repos/a/b%5Chooks", false },

        // an encoded slash stays inside its segment for the allow list (GitLab-style ids), but a deny also reads it as a
        // separator; dot segments in any spelling are refused with 400 before the rules (EncodedPathTests)
        { "rules", "GET", "/repos/a/b%2Fhooks", false },
        { "rules", "GET", "/repos/a/b%2fhooks%2f1", false },
        { "rules", "GET", "/repos/a%2Fb/hooks", false },
        { "rules", "POST", "/repos/a/b%2Fc/pulls", true },
        { "rules", "POST", "/repos/a/b%2Fc/d/pulls", false },
        { "open", "GET", "/admin%2Fusers", false },

        // deny only: everything else passes
        { "open", "GET", "/anything/here", true },
        { "open", "POST", "/anything", true },
        { "open", "DELETE", "/anything", false },
        { "open", "GET", "/admin", false },
        { "open", "GET", "/ADMIN/users", false },
        { "open", "GET", "/%61dmin/users", false },

        // allow: [] allows nothing
        { "closed", "GET", "/", false },
        { "closed", "GET", "/anything", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_IsForwardedOnlyWhenTheRulesAllowIt(string service, string method, string path, bool allowed)
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", "-X", method, fixture.Url(service, path + "?m=" + marker)]));

        if (allowed)
        {
            Assert.True(response.Status == 200, response.ToString());
            Assert.True(fixture.Upstream.Saw(marker), "the allowed request did not reach the upstream");
            return;
        }

        Assert.True(response.Status == 403, response.ToString());
        Assert.Equal("rule_denied", response.Header("X-Agent-Vault-Error"));
        Assert.Equal("rule_denied", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
        Assert.False(fixture.Upstream.Saw(marker), "a denied request reached the upstream");
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Denial_IsAProblemNamingTheServiceNotTheRule(string version)
    {
        using var client = fixture.Broker.CreateClient(fixture.Token("claude"), version: Version.Parse(version));

        using var response = await client.GetAsync(fixture.Url("rules", "/repos/acme/app/hooks/7"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rule_denied", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal(403, root.GetProperty("status").GetInt32());
        Assert.Equal("rule_denied", root.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        var detail = root.GetProperty("detail").GetString()!;
        Assert.Contains("'rules'", detail, StringComparison.Ordinal);
        foreach (var ruleText in new[] { "hooks", "/repos", "**", "GET /" })
        {
            Assert.DoesNotContain(ruleText, detail, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(PolicyFixture.Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbsoluteFormHttpRequest_ToARulesService_IsRefusedBeforeTheBrokerDials()
    {
        // Plain http:// through the proxy (no CONNECT) to a service that injects a credential: refused as insecure before
        // rules, credentials or the upstream are involved (credentials travel only over TLS).
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", $"http://rules.upstream.test:{fixture.Upstream.Port}/repos/a/b/%68ooks?m={marker}"]));

        Assert.True(response.Status == 403, response.ToString());
        Assert.Equal("insecure_upstream", response.Header("X-Agent-Vault-Error"));
        Assert.False(fixture.Upstream.Saw(marker));
    }

    [Theory]
    [InlineData("c", true)]
    [InlineData("b", false)]
    public async Task RuleWithManyAnyDepthWildcards_DecidesOnAVeryDeepPath(string last, bool allowed)
    {
        // Service "deep" denies GET /**/a/**/a/**/a/**/b. The old backtracking matcher needed hours on 2,000 segments
        // (the broker never answered within curl's --max-time); a linear one answers at once either way.
        var marker = Guid.NewGuid().ToString("N");
        var path = string.Concat(Enumerable.Repeat("/a", 2000)) + "/" + last;
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", fixture.Url("deep", path + "?m=" + marker)]));

        Assert.True(response.Status == (allowed ? 200 : 403), response.ToString()[..Math.Min(500, response.ToString().Length)]);
        Assert.Equal(allowed, fixture.Upstream.Saw(marker));
    }
}
