using AgentVault.Broker.Cli.Commands;

namespace AgentVault.Broker.Tests.Cli;

public sealed class VersionAndHealthcheckTests
{
    [Theory]
    [InlineData("1.2.3+0123456789abcdef0123456789abcdef01234567", "1.2.3", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("1.2.3-rc.1+ABCDEF1", "1.2.3-rc.1", "abcdef1")]
    [InlineData("1.2.3", "1.2.3", null)]
    [InlineData("1.2.3+build.7", "1.2.3", null)]
    public void InformationalVersion_SplitsIntoVersionAndCommit(string informational, string version, string? commit)
    {
        Assert.Equal((version, commit), VersionCommand.Parse(informational));
    }

    [Theory]
    [InlineData("0.0.0.0:14321", "http://127.0.0.1:14321/")]
    [InlineData("[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("127.0.0.1:9000", "http://127.0.0.1:9000/")]
    [InlineData("10.1.2.3:9000", "http://10.1.2.3:9000/")]
    [InlineData("[fd00::1]:9000", "http://[fd00::1]:9000/")]
    public void ListenAddress_GivesTheAddressToAsk(string listen, string expected)
    {
        Assert.Equal(new Uri(expected), HealthcheckCommand.FromListenAddress(listen));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-port")]
    [InlineData("0.0.0.0:0")]
    [InlineData("0.0.0.0:http")]
    public void ListenAddressWithoutAUsablePort_IsIgnored(string? listen)
    {
        Assert.Null(HealthcheckCommand.FromListenAddress(listen));
    }
}
