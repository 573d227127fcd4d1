using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class SegmentGlobTests
{
    [Theory]
    [InlineData("/**/a/**/a/**/a/**/b", "x/a/y/a/a/z/b", true)]
    [InlineData("/**/a/**/a/**/a/**/b", "a/a/b", false)]
    [InlineData("/**/a/**/a/**/a/**/b", "a/a/a/b", true)]
    [InlineData("/**", "", true)]
    [InlineData("/**/**", "a/b", true)]
    [InlineData("/a/**", "a", true)]
    [InlineData("/a/**/b", "a/b", true)]
    [InlineData("/a/**/b", "a/x/y/b", true)]
    [InlineData("/a/**/b", "a/x/y/c", false)]
    [InlineData("/a/*/c", "a/b/c", true)]
    [InlineData("/a/*/c", "a/c", false)]
    [InlineData("/a/*", "a/b/c", false)]
    [InlineData("/*.json", "x.json", true)]
    [InlineData("/*.json", "x.json.bak", false)]
    [InlineData("/a*b*c", "abc", true)]
    [InlineData("/a*b*c", "aXbYbZc", true)]
    [InlineData("/a*b*c", "ac", false)]
    [InlineData("/a*a", "a", false)]
    [InlineData("/**/*.json", "x/y/z.json", true)]
    public void Glob_MatchesSegments(string glob, string path, bool expected) =>
        Assert.Equal(expected, SegmentGlob.Create(glob, StringComparison.OrdinalIgnoreCase).Matches(Split(path)));

    [Fact]
    public void Literal_IsDecodedOnceLikeTheRequest() =>
        Assert.True(SegmentGlob.Create("/a%2Fb/%2A", StringComparison.Ordinal).Matches(["a/b", "*"]));

    [Fact]
    public void Comparison_IsTheCallers()
    {
        Assert.True(SegmentGlob.Create("/Api/*.JSON", StringComparison.OrdinalIgnoreCase).Matches(["api", "x.json"]));
        Assert.False(SegmentGlob.Create("/Api/*.JSON", StringComparison.Ordinal).Matches(["api", "x.json"]));
    }

    [Fact]
    public void MatchBelow_AddsAnyDepthToALiteralGlobOnly()
    {
        Assert.True(SegmentGlob.Create("/api", StringComparison.Ordinal, matchBelow: true).Matches(["api", "x", "y"]));
        Assert.False(SegmentGlob.Create("/api/*", StringComparison.Ordinal, matchBelow: true).Matches(["api", "x", "y"]));
    }

    [Theory]
    [InlineData("/**/a/**/a/**/a/**/b")]
    [InlineData("/**/a/**/a/**/a/**/a/**/a/**/a/**/b")]
    [InlineData("/**/*/**/*/**/*/**/c")]
    public void ManyAnyDepthWildcards_TakeAtMostPatternTimesPathSteps(string glob)
    {
        // The old backtracking matcher needed hours for this (one path position per ** per nesting level); the bound holds
        // whatever the machine's speed, so this is a count, not a timing.
        var path = Enumerable.Repeat("a", 2000).ToArray();
        var compiled = SegmentGlob.Create(glob, StringComparison.OrdinalIgnoreCase);
        var patternSegments = glob.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.False(compiled.Matches(path, out var steps));
        Assert.InRange(steps, path.Length, (long)(patternSegments + 1) * (path.Length + 1));
        Assert.True(compiled.Matches([.. path, "b", "c"], out _) == glob.EndsWith("/c", StringComparison.Ordinal));
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
