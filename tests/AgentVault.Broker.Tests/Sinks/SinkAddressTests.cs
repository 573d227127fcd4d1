using AgentVault.Broker.Sinks;

namespace AgentVault.Broker.Tests.Sinks;

/// <summary>Parsing of <c>--audit-sink</c> values.</summary>
public sealed class SinkAddressTests
{
    [Theory]
    [InlineData("syslog+tcp://siem.example.test:6514", "SyslogTcp", "siem.example.test", 6514)]
    [InlineData("syslog+tls://127.0.0.1:6514/", "SyslogTls", "127.0.0.1", 6514)]
    public void Syslog_HostAndPort(string text, string kind, string host, int port)
    {
        Assert.True(SinkAddress.TryParse(text, out var address, out var problem), problem);
        Assert.Equal(new SinkAddress(Enum.Parse<SinkKind>(kind), host, port), address);
    }

    [Fact]
    public void File_InAnExistingDirectory_IsAnAbsolutePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "audit.jsonl");

        Assert.True(SinkAddress.TryParse("file:" + path, out var address, out _));
        Assert.Equal(SinkKind.File, address!.Kind);
        Assert.Equal(path, address.Target);
        Assert.Equal("file:" + path, address.Name);
    }

    [Theory]
    [InlineData("syslog://host:514", "is not file:PATH")]
    [InlineData("https://siem.example.test/", "is not file:PATH")]
    [InlineData("syslog+tcp://siem.example.test", "a port is required")]
    [InlineData("syslog+tls://user:pw@siem.example.test:6514", "a port is required")]
    [InlineData("syslog+tcp://siem.example.test:6514/path", "a port is required")]
    [InlineData("file:", "needs a path")]
    [InlineData("file:/no/such/directory/audit.jsonl", "the directory must exist")]
    public void Invalid_IsOneReadableProblem(string text, string expected)
    {
        Assert.False(SinkAddress.TryParse(text, out var address, out var problem));
        Assert.Null(address);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
