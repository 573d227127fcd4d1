using System.Net;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

public sealed class AddressClassifierTests
{
    [Theory]
    // IPv4
    [InlineData("8.8.8.8", "Public")]
    [InlineData("1.1.1.1", "Public")]
    [InlineData("0.0.0.0", "Unspecified")]
    [InlineData("0.1.2.3", "Unspecified")]
    [InlineData("10.0.0.1", "Private")]
    [InlineData("10.255.255.255", "Private")]
    [InlineData("100.63.255.255", "Public")]
    [InlineData("100.64.0.1", "SharedAddressSpace")]
    [InlineData("100.127.255.255", "SharedAddressSpace")]
    [InlineData("100.128.0.0", "Public")]
    [InlineData("127.0.0.1", "Loopback")]
    [InlineData("127.255.0.9", "Loopback")]
    [InlineData("169.254.1.1", "LinkLocal")]
    [InlineData("172.15.255.255", "Public")]
    [InlineData("172.16.0.1", "Private")]
    [InlineData("172.31.255.255", "Private")]
    [InlineData("172.32.0.0", "Public")]
    [InlineData("192.0.0.8", "Reserved")]
    [InlineData("192.0.2.10", "Reserved")]
    [InlineData("192.88.99.1", "Reserved")]
    [InlineData("192.168.1.1", "Private")]
    [InlineData("198.18.0.1", "Reserved")]
    [InlineData("198.19.255.255", "Reserved")]
    [InlineData("198.51.100.7", "Reserved")]
    [InlineData("203.0.113.9", "Reserved")]
    [InlineData("224.0.0.1", "Multicast")]
    [InlineData("239.255.255.250", "Multicast")]
    [InlineData("240.0.0.1", "Reserved")]
    [InlineData("255.255.255.255", "Reserved")]
    // Cloud metadata
    [InlineData("169.254.169.254", "Metadata")]
    [InlineData("169.254.170.2", "Metadata")]
    [InlineData("169.254.170.23", "Metadata")]
    [InlineData("100.100.100.200", "Metadata")]
    [InlineData("168.63.129.16", "Metadata")]
    [InlineData("fd00:ec2::254", "Metadata")]
    [InlineData("fd00:ec2::23", "Metadata")]
    // IPv6
    [InlineData("2606:4700:4700::1111", "Public")]
    [InlineData("::", "Unspecified")]
    [InlineData("::1", "Loopback")]
    [InlineData("fe80::1", "LinkLocal")]
    [InlineData("fe80::1%2", "LinkLocal")]
    [InlineData("febf::1", "LinkLocal")]
    [InlineData("fec0::1", "Private")]
    [InlineData("fc00::1", "UniqueLocal")]
    [InlineData("fd12:3456::1", "UniqueLocal")]
    [InlineData("ff02::1", "Multicast")]
    [InlineData("2001:db8::1", "Reserved")]
    [InlineData("3fff::1", "Reserved")]
    [InlineData("100::1", "Reserved")]
    [InlineData("64:ff9b:1::a00:1", "Private")]
    [InlineData("2001:2::1", "Reserved")]
    // IPv4 embedded in IPv6
    [InlineData("::ffff:127.0.0.1", "Loopback")]
    [InlineData("::ffff:10.1.2.3", "Private")]
    [InlineData("::ffff:169.254.169.254", "Metadata")]
    [InlineData("::ffff:8.8.8.8", "Public")]
    [InlineData("::127.0.0.1", "Loopback")]
    [InlineData("::10.0.0.1", "Private")]
    [InlineData("64:ff9b::7f00:1", "Loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "Metadata")]
    [InlineData("64:ff9b::808:808", "Public")]
    [InlineData("2002:7f00:1::1", "Loopback")]
    [InlineData("2002:c0a8:101::1", "Private")]
    [InlineData("2002:a9fe:a9fe::", "Metadata")]
    [InlineData("2002:808:808::1", "Public")]
    [InlineData("2001:0:808:808::f5ff:fffe", "Private")]     // Teredo client 10.0.0.1 (inverted)
    [InlineData("2001:0:a00:1::f7f7:f7f7", "Private")]       // Teredo server 10.0.0.1
    [InlineData("2001:0:808:808::80ff:fffe", "Loopback")]    // Teredo client 127.0.0.1
    [InlineData("2001:0:808:808::5601:5601", "Metadata")]    // Teredo client 169.254.169.254 (inverted)
    public void Classify_ReturnsTheCategory(string address, string expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)).ToString());
    }
}
