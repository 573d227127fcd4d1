using System.Net;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Forwarding;

/// <summary>
/// The SSRF check over a whole DNS answer: one blocked address refuses the name, so mixing a public and a private answer
/// cannot slip the private one through. Decided without dialing anything.
/// </summary>
public sealed class OutboundConnectorTests
{
    private static readonly OutboundConnector Connector = new(
        new Dictionary<string, IPAddress>(), new NetworkGuard(dev: false, [IPNetwork.Parse("127.0.0.1/32")]), NullLogger.Instance);

    [Theory]
    [InlineData("127.0.0.1,10.1.2.3")]
    [InlineData("10.1.2.3,127.0.0.1")]
    [InlineData("127.0.0.1,169.254.169.254")]
    [InlineData("127.0.0.1,::ffff:192.168.0.1")]
    [InlineData("127.0.0.1,::1")]
    [InlineData("127.0.0.1,64:ff9b::a01:203")]
    public void AnswerWithAnyBlockedAddress_RefusesTheName(string answer)
    {
        var addresses = answer.Split(',').Select(IPAddress.Parse).ToArray();

        var refused = Assert.Throws<DestinationBlockedException>(() => Connector.CheckAll("mixed.upstream.test", 443, addresses));

        Assert.Equal("mixed.upstream.test", refused.Host);
    }

    [Fact]
    public void AnswerWithOnlyAllowedAddresses_Passes()
    {
        Connector.CheckAll("ok.upstream.test", 443, [IPAddress.Loopback, IPAddress.Parse("127.0.0.1")]);
    }
}
