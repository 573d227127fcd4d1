using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("7d", 7 * TimeSpan.TicksPerDay)]
    [InlineData(" 10s ", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("0", 0)]
    [InlineData("10675199d", 10675199 * TimeSpan.TicksPerDay)]
    public void Valid_Parses(string text, long ticks)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    // Fuzz crash inputs (fuzz/corpus/duration): a count longer than TimeSpan holds threw ArgumentOutOfRangeException.
    [Theory]
    [InlineData("9223372036854775807ms")]
    [InlineData("10675200d")]
    [InlineData("999999999999h")]
    [InlineData("9223372036854775807s")]
    [InlineData("-1s")]
    [InlineData("1.5h")]
    [InlineData("5w")]
    public void TooLongOrMalformed_IsRefused(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Durations.Parse(text));
    }

    // Fuzz input 233720854775807ms: formatted through a double it came back as 233720854775806ms.
    [Theory]
    [InlineData("233720854775807ms")]
    [InlineData("922337203685s")]
    [InlineData("10675199d")]
    [InlineData("90m")]
    [InlineData("1500ms")]
    public void Format_ParsesBackToTheSameDuration(string text)
    {
        Assert.True(Durations.TryParse(text, out var value));

        Assert.Equal(text, Durations.Format(value));
    }
}
