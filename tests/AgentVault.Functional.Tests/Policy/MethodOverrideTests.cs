using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Rules judge the method a request claims through <c>X-HTTP-Method-Override</c>, <c>X-HTTP-Method</c>,
/// <c>X-Method-Override</c> or <c>_method</c> as well as its own: both must be allowed. Service <c>open</c> denies
/// <c>DELETE /**</c>; service <c>rules</c> allows <c>GET /repos/**</c> and <c>POST /repos/*/*/pulls</c>.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class MethodOverrideTests(PolicyFixture fixture)
{
    public static TheoryData<string, string, string, string[], bool> Requests => new()
    {
        // a claimed DELETE is denied like a real one
        { "open", "POST", "/items/1", ["-H", "X-HTTP-Method-Override: DELETE"], false },
        { "open", "POST", "/items/1", ["-H", "X-HTTP-Method: delete"], false },
        { "open", "POST", "/items/1", ["-H", "X-Method-Override: PATCH, DELETE"], false },
        { "open", "POST", "/items/1", ["-H", "X-HTTP-Method-Override: PATCH", "-H", "X-HTTP-Method-Override: DELETE"], false },
        { "open", "POST", "/items/1?_method=DELETE", [], false },
        { "open", "GET", "/items/1?page=2&_method=%44ELETE", [], false },
        { "open", "POST", "/items/1?_METHOD=PUT&_method=delete", [], false },
        { "open", "POST", "/items/1?%5Fmethod=DELETE", [], false },

        // what the rules allow stays allowed
        { "open", "POST", "/items/1", ["-H", "X-HTTP-Method-Override: PATCH"], true },
        { "open", "POST", "/items/1?_method=PUT", [], true },
        { "open", "POST", "/items/1?my_method=DELETE", [], true },

        // with an allow list, the claimed method must be allowed too (an unknown one is judged like any other)
        { "rules", "GET", "/repos/a/b", ["-H", "X-HTTP-Method-Override: PUT"], false },
        { "rules", "GET", "/repos/a/b", ["-H", "X-HTTP-Method-Override: FROBNICATE"], false },
        { "rules", "POST", "/repos/a/b/pulls?_method=DELETE", [], false },
        { "rules", "POST", "/repos/a/b/pulls", ["-H", "X-HTTP-Method-Override: PUT"], false },
        { "rules", "GET", "/repos/a/b", ["-H", "X-HTTP-Method-Override: GET"], true },
        { "rules", "POST", "/repos/a/b/pulls", ["-H", "X-HTTP-Method-Override: GET"], true },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ClaimedMethod_IsJudgedByTheRules(string service, string method, string target, string[] headers, bool allowed)
    {
        var marker = Guid.NewGuid().ToString("N");
        var separator = target.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, .. headers, "-X", method, fixture.Url(service, target + separator + "m=" + marker)]));

        if (allowed)
        {
            Assert.True(response.Status == 200, response.ToString());
            Assert.True(fixture.Upstream.Saw(marker), "the allowed request did not reach the upstream");
            return;
        }

        Assert.True(response.Status == 403, response.ToString());
        Assert.Equal("rule_denied", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
        Assert.False(fixture.Upstream.Saw(marker), "a request claiming a denied method reached the upstream");
    }

    [Fact]
    public async Task ClaimedMethodOverHttp2_IsJudgedByTheRules()
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--http2", "-X", "POST", "-H", "x-http-method-override: DELETE", fixture.Url("open", "/items/1?m=" + marker)]));

        Assert.True(response.Status == 403, response.ToString());
        Assert.False(fixture.Upstream.Saw(marker));
    }
}
