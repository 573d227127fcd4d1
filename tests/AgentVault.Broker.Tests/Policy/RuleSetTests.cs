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
    [InlineData("GET", "/repos/octo/hello/./hooks", false)]              // dot segment
    [InlineData("GET", "/repos/octo/hello/x/../hooks", false)]           // dot-dot
    [InlineData("GET", "/repos/octo/hello/x/%2E%2E/hooks", false)]       // encoded dot-dot
    [InlineData("GET", "/repos/octo%2Fhello/hooks", false)]              // %2F read as a separator
    [InlineData("GET", "/repos/octo/hello%2Fhooks", false)]
    [InlineData("GET", "/repos/octo/hello\\hooks", false)]               // backslash
    [InlineData("GET", "/repos/octo/hello/hooks;x=1", false)]            // matrix parameter
    [InlineData("GET", "/repos/../user", false)]                         // escapes the allowed prefix
    [InlineData("GET", "/repos/%2E%2E/user", false)]
    [InlineData("GET", "/repos/x%2F..%2F..%2Fuser", false)]              // only reachable in the loose reading
    [InlineData("GET", "/REPOS/octo/hello", true)]
    [InlineData("GET", "/repos/octo/hello?x=/hooks", true)]             // query is not part of the path
    public void GitHubExample_DecidesAsExpected(string method, string path, bool allowed) =>
        Assert.Equal(allowed, RuleSet.Compile(GitHub).IsAllowed(method, path));

    [Theory]
    [InlineData("GET", "/anything", true)]
    [InlineData("DELETE", "/anything", true)]
    public void NoRules_AllowEverything(string method, string path, bool allowed) =>
        Assert.Equal(allowed, RuleSet.Compile(null).IsAllowed(method, path));

    [Theory]
    [InlineData("GET", "/v1/items", true)]
    [InlineData("DELETE", "/v1/items/1", false)]
    [InlineData("delete", "/V1/ITEMS/1", false)]
    public void DenyOnly_AllowsTheRest(string method, string path, bool allowed) =>
        Assert.Equal(allowed, RuleSet.Compile(new RulesDefinition { Deny = ["DELETE /v1/**"] }).IsAllowed(method, path));

    [Fact]
    public void EmptyAllowList_AllowsNothing() =>
        Assert.False(RuleSet.Compile(new RulesDefinition { Allow = [] }).IsAllowed("GET", "/"));

    [Fact]
    public void UnparsableDenyEntry_FailsClosed() =>
        Assert.False(RuleSet.Compile(new RulesDefinition { Deny = ["nonsense"] }).IsAllowed("GET", "/ok"));

    [Fact]
    public void EncodedSlashInsideAnAllowedSegment_NeedsAnAllowThatCoversBothReadings()
    {
        // GitLab-style ids: /projects/group%2Fproject. "*" covers the strict reading only; "**" covers both.
        var one = RuleSet.Compile(new RulesDefinition { Allow = ["GET /api/v4/projects/*"] });
        var any = RuleSet.Compile(new RulesDefinition { Allow = ["GET /api/v4/projects/**"] });

        Assert.False(one.IsAllowed("GET", "/api/v4/projects/group%2Fproject"));
        Assert.True(any.IsAllowed("GET", "/api/v4/projects/group%2Fproject"));
        Assert.True(one.IsAllowed("GET", "/api/v4/projects/42"));
    }
}
