using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/api/v4/projects/group%2Fproject", "api|v4|projects|group/project")]
    [InlineData("/a//b/", "a|b")]                                         // empty segments dropped
    [InlineData("/%68ooks/%2525", "hooks|%25")]                           // decoded once, not twice
    [InlineData("/a%5Cb", "a\\b")]
    [InlineData("/a;x=1/b", "a;x=1|b")]
    [InlineData("/...", "...")]                                          // not a dot segment
    [InlineData("/a..b/..c/d..", "a..b|..c|d..")]
    [InlineData("/", "")]
    [InlineData("*", "")]                                                // asterisk-form reads as /
    public void OriginForm_IsSplitThenDecodedOnce(string target, string segments)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.Equal(segments, string.Join('|', path.Segments));
    }

    [Theory]
    [InlineData("/a%5Cb/c", "a|b|c")]
    [InlineData("/a\\b", "a|b")]
    [InlineData("/a;x=1/b", "a|b")]
    [InlineData("/a/;x", "a")]
    public void LooseReading_SplitsBackslashesAndCutsParameters(string target, string loose)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.True(path.HasLooseReading);
        Assert.Equal(loose, string.Join('|', path.Loose));
    }

    // Fuzz crash inputs (fuzz/corpus/request-path): a first segment that is only parameters or backslashes left both
    // readings empty and TryParse indexed the empty list (ArgumentOutOfRangeException on any agent's request target).
    [Theory]
    [InlineData("/;^^b", "")]
    [InlineData("/\\\\\\/a.\\", "a.")]
    [InlineData("/;x/admin/users", "admin|users")]
    public void SegmentOfOnlyParametersOrBackslashes_ReadsAsNothing(string target, string loose)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.Equal(loose, string.Join('|', path.Loose));
        Assert.Equal(loose, string.Join('|', path.Spread));
    }

    [Fact]
    public void SegmentOfOnlyParameters_DoesNotDodgeADeny()
    {
        var rules = RuleSet.Compile(new AgentVault.Broker.Model.RulesDefinition { Deny = ["* /admin/**"] });

        Assert.True(RequestPath.TryParse("/;x/admin/users", out var path, out _));
        Assert.False(rules.IsAllowed(["GET"], path));
    }

    [Fact]
    public void PlainPath_HasNoSeparateLooseReading()
    {
        Assert.True(RequestPath.TryParse("/a/b%2Fc", out var path, out _));

        Assert.False(path.HasLooseReading);
    }

    [Theory]
    [InlineData("/admin%2Fusers", "admin|users")]
    [InlineData("/a/b%2Fc%5Cd;x/e", "a|b|c|d|e")]
    [InlineData("/a%2F/b", "a|b")]
    public void SpreadReading_AlsoSplitsEncodedSlashes(string target, string spread)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.True(path.HasSpreadReading);
        Assert.Equal(spread, string.Join('|', path.Spread));
    }

    [Theory]
    [InlineData("/a/b")]
    [InlineData("/a%5Cb;x")]
    public void PathWithoutEncodedSlash_HasNoSeparateSpreadReading(string target)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out _));

        Assert.False(path.HasSpreadReading);
    }

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    [InlineData("/a/b/.")]
    [InlineData("/..")]
    [InlineData("/a/%2e%2e/b")]
    [InlineData("/a/%2E/b")]
    [InlineData("/a/.%2e/b")]
    [InlineData("/a/..%2Fb")]
    [InlineData("/a/..%2fb")]
    [InlineData("/a/x%2F..%2Fb")]
    [InlineData("/a/..%5Cb")]
    [InlineData("/a/x%5C..")]
    [InlineData("/a/..\\b")]
    [InlineData("/a/..;x=1/b")]
    [InlineData("http://h.test:80/a/%2e%2e/b")]
    public void DotSegment_IsRefused(string target)
    {
        Assert.False(RequestPath.TryParse(target, out _, out var problem));
        Assert.Contains("'..'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a b")]
    [InlineData("/a\tb")]
    [InlineData("/a\r\nX-Evil: 1")]
    [InlineData("/a?x=\u00e9")]
    [InlineData("/a#frag")]
    public void InvalidTargetCharacter_IsRefused(string target) =>
        Assert.False(RequestPath.TryParse(target, out _, out _));

    [Theory]
    [InlineData("/api/v4/projects/group%2Fproject?x=%2F&y=a+b", "/api/v4/projects/group%2Fproject", "?x=%2F&y=a+b")]
    [InlineData("https://gitlab.test/api/v4/projects/group%2Fproject?x=1", "/api/v4/projects/group%2Fproject", "?x=1")]
    [InlineData("http://h.test:8080", "/", "")]
    [InlineData("http://h.test:8080?q=1", "/", "?q=1")]
    [InlineData("http://user@[::1]:8080/%41", "/%41", "")]
    public void PathAndQuery_AreKeptAsSent(string target, string escaped, string query)
    {
        Assert.True(RequestPath.TryParse(target, out var path, out var problem), problem);

        Assert.Equal(escaped, path.Escaped);
        Assert.Equal(query, path.Query);
        Assert.Equal(escaped + query, path.PathAndQuery);
    }
}
