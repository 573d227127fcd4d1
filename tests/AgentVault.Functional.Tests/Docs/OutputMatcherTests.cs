namespace AgentVault.Functional.Tests.Docs;

/// <summary>The rules the documents are checked by: exact lines, <c>…</c> within a line, a line of <c>…</c> for any lines.</summary>
public sealed class OutputMatcherTests
{
    [Theory]
    [InlineData("token: avt_…", "token: avt_abc123", true)]
    [InlineData("token: avt_…", "token: ava_abc123", false)]
    [InlineData("…  claude/dev  GET …  200", "2026-12-08 01:00:00Z  claude/dev  GET api.x/y  200", true)]
    [InlineData("a (b) [c] $d", "a (b) [c] $d", true)]
    [InlineData("a (b)", "a (b) trailing", false)]
    public void LineMatches_TakesEllipsisAsAnyText(string documented, string printed, bool matches) =>
        Assert.Equal(matches, OutputMatcher.LineMatches(documented, printed));

    [Fact]
    public void Compare_EllipsisLineStandsForAnyNumberOfLines()
    {
        Assert.Null(OutputMatcher.Compare(["{", "…", "}"], ["{", "  \"a\": 1,", "  \"b\": 2", "}"]));
        Assert.Null(OutputMatcher.Compare(["{", "…", "}"], ["{", "}"]));
        Assert.NotNull(OutputMatcher.Compare(["{", "…", "}"], ["{", "  \"a\": 1"]));
    }

    [Fact]
    public void Compare_ReportsAMissingOrExtraLine()
    {
        Assert.NotNull(OutputMatcher.Compare(["one", "two"], ["one"]));
        Assert.NotNull(OutputMatcher.Compare(["one"], ["one", "two"]));
        Assert.Null(OutputMatcher.Compare(["one  "], ["one"]));
    }

    [Fact]
    public void CompareUnordered_NeedsEveryLineOnBothSides()
    {
        Assert.Null(OutputMatcher.CompareUnordered(["b", "a …"], ["a 1", "b"]));
        Assert.NotNull(OutputMatcher.CompareUnordered(["a …"], ["a 1", "b"]));
        Assert.NotNull(OutputMatcher.CompareUnordered(["a …", "c"], ["a 1"]));
    }
}
