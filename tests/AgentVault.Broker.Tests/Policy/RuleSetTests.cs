using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class RuleSetTests
{
    private static readonly RulesDefinition GitHub = new()
    {
        Allow = ["GET /repos/**", "POST /repos/*/*/pulls", "GET /files/*.json", "* /public/**"],
        Deny = ["* /repos/*/*/hooks/**", "DELETE /**"],
    };

    [Theory]
    [InlineData("GET", "/repos/octo/hello", true)]
    [InlineData("GET", "/repos", true)]                                  // ** matches zero segments
    [InlineData("GET", "/repos/octo/hello/issues/1/comments", true)]
    [InlineData("POST", "/repos/octo/hello/pulls", true)]
    [InlineData("post", "/repos/octo/hello/pulls", true)]                // method case-insensitive
    [InlineData("POST", "/repos/octo/hello/issues", false)]              // not in the allow list
    [InlineData("POST", "/repos/octo/pulls", false)]                     // * is exactly one segment
    [InlineData("GET", "/user", false)]
    [InlineData("GET", "/files/a.json", true)]
    [InlineData("GET", "/files/a.json.bak", false)]
    [InlineData("PUT", "/public/x/y", true)]
    [InlineData("DELETE", "/public/x", false)]                           // deny wins
    [InlineData("GET", "/repos/octo/hello/hooks", false)]
    [InlineData("GET", "/repos/octo/hello/hooks/1", false)]
    // Tricks that must not dodge a deny or reach past an allow
    [InlineData("GET", "/repos/octo/hello/HOOKS/1", false)]              // case
    [InlineData("GET", "/repos/octo/hello/%68ooks/1", false)]            // percent-encoded letter
    [InlineData("GET", "/repos/octo/hello//hooks", false)]               // empty segment
    [InlineData("GET", "/repos/octo/hello\\hooks", false)]               // backslash
    [InlineData("GET", "/repos/octo/hello%5Chooks", false)]
    [InlineData("GET", "/repos/octo/hello/hooks;x=1", false)]            // matrix parameter
    [InlineData("GET", "/repos/octo/hello;x=1/hooks", false)]
    // An encoded slash stays inside its segment for the allow list, but a deny also sees it as a separator (an upstream
    // that decodes %2F before routing would read /hooks)
    [InlineData("GET", "/repos/octo%2Fhello/hooks", false)]
    [InlineData("GET", "/repos/octo/hello%2Fhooks", false)]
    [InlineData("POST", "/repos/octo/hello%2Fx/pulls", true)]
    [InlineData("GET", "/REPOS/octo/hello", true)]
    [InlineData("GET", "/repos/octo/hello?x=/hooks", true)]             // query is not part of the path
    public void GitHubExample_DecidesAsExpected(string method, string path, bool allowed) =>
        Assert.Equal(allowed, IsAllowed(RuleSet.Compile(GitHub), method, path));

    [Theory]
    [InlineData("GET", "/anything", true)]
    [InlineData("DELETE", "/anything", true)]
    public void NoRules_AllowEverything(string method, string path, bool allowed) =>
        Assert.Equal(allowed, IsAllowed(RuleSet.Compile(null), method, path));

    [Theory]
    [InlineData("GET", "/v1/items", true)]
    [InlineData("DELETE", "/v1/items/1", false)]
    [InlineData("delete", "/V1/ITEMS/1", false)]
    public void DenyOnly_AllowsTheRest(string method, string path, bool allowed) =>
        Assert.Equal(allowed, IsAllowed(RuleSet.Compile(new RulesDefinition { Deny = ["DELETE /v1/**"] }), method, path));

    [Fact]
    public void EmptyAllowList_AllowsNothing() =>
        Assert.False(IsAllowed(RuleSet.Compile(new RulesDefinition { Allow = [] }), "GET", "/"));

    [Fact]
    public void UnparsableDenyEntry_FailsClosed() =>
        Assert.False(IsAllowed(RuleSet.Compile(new RulesDefinition { Deny = ["nonsense"] }), "GET", "/ok"));

    [Fact]
    public void EncodedSlashInsideAnAllowedSegment_IsOneSegment()
    {
        // GitLab-style ids: /projects/group%2Fproject is one segment, so "*" covers it.
        var one = RuleSet.Compile(new RulesDefinition { Allow = ["GET /api/v4/projects/*"] });

        Assert.True(IsAllowed(one, "GET", "/api/v4/projects/group%2Fproject"));
        Assert.True(IsAllowed(one, "GET", "/api/v4/projects/42"));
        Assert.False(IsAllowed(one, "GET", "/api/v4/projects/group/project"));
    }

    [Fact]
    public void EncodedSlashInARule_MatchesTheEncodedSlashOfARequest()
    {
        var rules = RuleSet.Compile(new RulesDefinition { Deny = ["* /api/v4/projects/secret%2Fproject/**"] });

        Assert.False(IsAllowed(rules, "GET", "/api/v4/projects/secret%2fproject/issues"));
        Assert.True(IsAllowed(rules, "GET", "/api/v4/projects/secret/project/issues"));
    }

    [Theory]
    [InlineData("DELETE", false)]
    [InlineData("delete", false)]
    [InlineData("GET", true)]
    [InlineData("FROBNICATE", false)]                                    // an unknown method is judged like any other
    public void ClaimedMethod_MustBeAllowedToo(string claimed, bool allowed) =>
        Assert.Equal(allowed, IsAllowed(RuleSet.Compile(GitHub), "GET", "/repos/octo/hello", claimed));

    [Fact]
    public void ClaimedMethod_IsDeniedByADenyRule() =>
        Assert.False(IsAllowed(RuleSet.Compile(new RulesDefinition { Deny = ["DELETE /v1/**"] }), "POST", "/v1/items/1", "DELETE"));

    private static bool IsAllowed(RuleSet rules, string method, string target, params string[] claimed)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);
        return rules.IsAllowed([method, .. claimed], path);
    }
}
