using System.Net;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class NetworkGuardTests
{
    [Theory]
    // address, --dev, --allow-network (comma separated), allowed
    [InlineData("93.184.216.34", false, "", true)]
    [InlineData("127.0.0.1", false, "", false)]
    [InlineData("127.0.0.1", true, "", true)]
    [InlineData("::1", true, "", true)]
    [InlineData("10.0.0.1", false, "", false)]
    [InlineData("10.0.0.1", true, "", true)]
    [InlineData("10.0.0.1", false, "10.0.0.0/8", true)]
    [InlineData("10.0.0.1", false, "10.1.0.0/16", false)]
    [InlineData("::ffff:10.0.0.1", false, "10.0.0.0/8", true)]
    [InlineData("169.254.1.1", true, "", true)]
    [InlineData("100.64.0.1", true, "", true)]
    [InlineData("fd12::1", true, "", true)]
    [InlineData("fd12::1", false, "fd12::/16", true)]
    [InlineData("224.0.0.1", true, "", false)]
    [InlineData("224.0.0.1", false, "224.0.0.0/4", true)]
    [InlineData("0.0.0.0", true, "", false)]
    [InlineData("192.0.2.1", true, "", false)]
    [InlineData("192.0.2.1", false, "192.0.2.0/24", true)]
    [InlineData("2002:a00:1::1", false, "", false)]
    [InlineData("64:ff9b::a00:1", false, "", false)]
    // Metadata is never allowed, whatever the flags say.
    [InlineData("169.254.169.254", true, "169.254.0.0/16", false)]
    [InlineData("169.254.169.254", true, "0.0.0.0/0", false)]
    [InlineData("::ffff:169.254.169.254", true, "::/0,0.0.0.0/0", false)]
    [InlineData("fd00:ec2::254", true, "::/0", false)]
    [InlineData("100.100.100.200", true, "100.64.0.0/10", false)]
    [InlineData("168.63.129.16", true, "0.0.0.0/0", false)]
    [InlineData("169.254.170.2", true, "169.254.170.0/24", false)]
    public void Check_DecidesByCategoryAndFlags(string address, bool dev, string allow, bool allowed)
    {
        var networks = allow.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPNetwork.Parse);
        var guard = new NetworkGuard(dev, networks);

        Assert.Equal(allowed, guard.Check(IPAddress.Parse(address)).Allowed);
    }
}
