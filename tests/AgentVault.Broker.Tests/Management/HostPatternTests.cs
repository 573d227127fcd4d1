using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Tests.Management;

public sealed class HostPatternTests
{
    [Theory]
    [InlineData("api.stripe.com", "api.stripe.com", false, null, null)]
    [InlineData("API.Stripe.COM", "api.stripe.com", false, null, null)]
    [InlineData("  api.github.com ", "api.github.com", false, null, null)]
    [InlineData("*.github.com", "github.com", true, null, null)]
    [InlineData("*.EXAMPLE.com:8443", "example.com", true, 8443, null)]
    [InlineData("api.example.com:1", "api.example.com", false, 1, null)]
    [InlineData("api.example.com:65535", "api.example.com", false, 65535, null)]
    [InlineData("slack.com/api/*", "slack.com", false, null, "/api/*")]
    [InlineData("slack.com:443/api/**", "slack.com", false, 443, "/api/**")]
    [InlineData("example.com/**", "example.com", false, null, "/**")]
    [InlineData("example.com/v1/chat", "example.com", false, null, "/v1/chat")]
    [InlineData("localhost", "localhost", false, null, null)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", false, null, null)]
    [InlineData("a-b.c1.example", "a-b.c1.example", false, null, null)]
    public void ValidPattern_IsParsed(string text, string host, bool wildcard, int? port, string? path)
    {
        Assert.True(HostPattern.TryParse(text, out var pattern, out var error), error);
        Assert.Equal(new HostPattern(host, wildcard, port, path), pattern);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("https://api.example.com", "scheme")]
    [InlineData("http://api.example.com/x", "scheme")]
    [InlineData("10.0.0.1", "IP literal")]
    [InlineData("127.1", "IP literal")]
    [InlineData("0x7f.1", "IP literal")]
    [InlineData("169.254.169.254:80", "IP literal")]
    [InlineData("::1", "IP literal")]
    [InlineData("[::1]", "IP literal")]
    [InlineData("[::1]:443", "IP literal")]
    [InlineData("fe80::1", "IP literal")]
    [InlineData("*", "left-most label")]
    [InlineData("*.com", "top-level domain")]
    [InlineData("*.", "empty")]
    [InlineData("api.*.com", "left-most label")]
    [InlineData("*api.example.com", "left-most label")]
    [InlineData("**.example.com", "left-most label")]
    [InlineData("*.*.example.com", "left-most label")]
    [InlineData("api..example.com", "empty label")]
    [InlineData(".example.com", "empty label")]
    [InlineData("example.com.", "empty label")]
    [InlineData("-api.example.com", "not a valid DNS label")]
    [InlineData("api-.example.com", "not a valid DNS label")]
    [InlineData("api_x.example.com", "not a valid DNS label")]
    [InlineData("bücher.example", "non-ASCII")]
    [InlineData("api example.com", "space")]
    [InlineData("api.example.com:0", "1 to 65535")]
    [InlineData("api.example.com:65536", "1 to 65535")]
    [InlineData("api.example.com:", "1 to 65535")]
    [InlineData("api.example.com:https", "1 to 65535")]
    [InlineData("api.example.com:+443", "1 to 65535")]
    [InlineData("api.example.com:**", "1 to 65535")]
    [InlineData("api.example.com/a?b=c", "'?'")]
    [InlineData("api.example.com/a#b", "'?'")]
    [InlineData("api.example.com/a//b", "empty segment")]
    [InlineData("api.example.com/api*", "whole segments")]
    [InlineData("api.example.com/../admin", "'..'")]
    public void InvalidPattern_IsRefusedWithReason(string? text, string reason)
    {
        Assert.False(HostPattern.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("api.example.com", 443, true)]
    [InlineData("api.example.com", 80, false)]
    [InlineData("api.example.com", 8443, false)]
    [InlineData("api.example.com:8443", 8443, true)]
    [InlineData("api.example.com:8443", 443, false)]
    [InlineData("api.example.com:*", 80, true)]
    [InlineData("api.example.com:*", 443, true)]
    [InlineData("api.example.com:*", 65535, true)]
    [InlineData("*.example.com", 443, true)]
    [InlineData("*.example.com", 8080, false)]
    [InlineData("*.example.com:*/api/**", 8080, true)]
    public void Port_WithoutOneMeans443Only_StarMeansAny(string text, int port, bool matches)
    {
        Assert.True(HostPattern.TryParse(text, out var pattern, out var error), error);
        Assert.Equal(matches, pattern.MatchesPort(port));
    }

    [Fact]
    public void AnyPort_RoundTripsThroughToString()
    {
        Assert.True(HostPattern.TryParse("*.Example.com:*/api/*", out var pattern, out _));
        Assert.True(pattern.AnyPort);
        Assert.Null(pattern.Port);
        Assert.Equal("*.example.com:*/api/*", pattern.ToString());
    }

    [Fact]
    public void LabelLongerThan63_IsRefused()
    {
        Assert.False(HostPattern.TryParse(new string('a', 64) + ".example.com", out _, out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NameLongerThan253_IsRefused()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        Assert.False(HostPattern.TryParse(name, out _, out var error));
        Assert.Contains("253", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.Example.com:8443/api/*", "*.example.com:8443/api/*", "/api/")]
    [InlineData("example.com", "example.com", null)]
    [InlineData("example.com/v1/chat", "example.com/v1/chat", "/v1/chat")]
    [InlineData("example.com/**", "example.com/**", "/")]
    public void Parsed_FormatsCanonicallyWithPrefix(string text, string canonical, string? prefix)
    {
        Assert.True(HostPattern.TryParse(text, out var pattern, out _));
        Assert.Equal(canonical, pattern.ToString());
        Assert.Equal(prefix, pattern.PathPrefix);
    }
}
