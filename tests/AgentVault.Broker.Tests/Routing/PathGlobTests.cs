using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Tests.Routing;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/api/*", "/api/chat.postMessage", true)]
    [InlineData("/api/*", "/api/a%2Fb", true)]                             // an encoded slash stays inside its segment
    [InlineData("/api/*", "/api/a/b", false)]
    [InlineData("/api/*", "/api", false)]
    [InlineData("/api/*", "/API/x", false)]                                // case-sensitive, as before
    [InlineData("/api", "/api/x/y", true)]                                 // no wildcard: everything below
    [InlineData("/api", "/apix", false)]
    [InlineData("/api/**/files", "/api/v4/projects/group%2Fproject/files", true)]
    [InlineData("/api/v4/projects/group%2Fproject", "/api/v4/projects/group%2fproject/issues", true)]
    [InlineData("/api/v4/projects/group%2Fproject", "/api/v4/projects/group/project", false)]
    [InlineData("/api/*", "//api//x", true)]                               // empty segments dropped, as for rules
    public void Glob_MatchesTheSegmentsRulesSee(string glob, string target, bool expected)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.Equal(expected, PathGlob.Create(glob).Matches(path));
    }

    [Fact]
    public void ManyAnyDepthWildcards_OnAHugePath_Finish()
    {
        Assert.True(RequestPath.TryParse(string.Concat(Enumerable.Repeat("/a", 5000)), out var path, out _));

        Assert.False(PathGlob.Create("/**/a/**/a/**/a/**/a/**/b").Matches(path));
    }
}
