using System.Buffers.Binary;
using System.Net;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Tests.Policy;

/// <summary>
/// Every documented cloud metadata address (docs/network-guard.md), and every IPv6 form that carries one of the IPv4 ones,
/// is classified as metadata and refused by the guard even with <c>--dev</c> and <c>--allow-network</c> 0.0.0.0/0 and ::/0.
/// </summary>
public sealed class MetadataAddressTests
{
    private static readonly string[] V4 =
    [
        "169.254.169.254", // AWS, GCP, Azure, OCI, DigitalOcean, Hetzner, OpenStack, Akamai
        "169.254.170.2",   // AWS ECS
        "169.254.170.23",  // AWS EKS Pod Identity
        "168.63.129.16",   // Azure WireServer
        "100.100.100.200", // Alibaba Cloud
        "192.0.0.192",     // Oracle Cloud Classic
        "169.254.42.42",   // Scaleway
    ];

    private static readonly string[] V6 =
    [
        "fd00:ec2::254", "fd00:ec2::23", "fd20:ce::254", "fd00:c1::a9fe:a9fe", "fd00:42::42", "fd00:a9fe:a9fe::1", "fe80::a9fe:a9fe",
        "fe80::a9fe:a9fe%3", "FD00:EC2:0:0:0:0:0:254",
    ];

    public static TheoryData<string> Addresses()
    {
        var data = new TheoryData<string>();
        foreach (var address in V6)
        {
            data.Add(address);
        }

        foreach (var text in V4)
        {
            data.Add(text);
            foreach (var form in EmbeddedForms(IPAddress.Parse(text)))
            {
                data.Add(form);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public void MetadataAddress_IsClassifiedAsMetadata(string address)
    {
        Assert.Equal(AddressCategory.Metadata, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public void MetadataAddress_IsRefusedWithDevAndEveryRangeOpen(string address)
    {
        var guard = new NetworkGuard(dev: true, [IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fd00::/8")]);

        var verdict = guard.Check(IPAddress.Parse(address));

        Assert.False(verdict.Allowed);
        Assert.Equal(AddressCategory.Metadata, verdict.Category);
    }

    [Theory]
    [InlineData("169.254.169.253")] // AWS DNS: link-local, opened by --dev
    [InlineData("168.63.129.17")]
    [InlineData("fd20:ce::253")]
    [InlineData("64:ff9b:1::a00:1")]
    public void NeighbourOfAMetadataAddress_IsNotMetadata(string address)
    {
        Assert.NotEqual(AddressCategory.Metadata, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    // IPv4-mapped, IPv4-compatible, NAT64 (well-known /96 and local-use /48 at each RFC 6052 prefix length), 6to4, Teredo
    // server and (inverted) client.
    private static IEnumerable<string> EmbeddedForms(IPAddress v4)
    {
        var b = v4.GetAddressBytes();
        var x = BinaryPrimitives.ReadUInt32BigEndian(b);
        var hi = $"{x >> 16:x}";
        var lo = $"{x & 0xffff:x}";
        yield return "::ffff:" + v4;
        yield return $"::ffff:{hi}:{lo}";
        yield return "::" + v4;
        yield return $"64:ff9b::{hi}:{lo}";
        yield return $"64:ff9b:1::{hi}:{lo}";                                                  // /96
        yield return Bytes(0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, 0, 0, 0, b[0], b[1], b[2], b[3]); // /64
        yield return Bytes(0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, 0, b[0], 0, b[1], b[2], b[3]);    // /56
        yield return Bytes(0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, b[0], b[1], 0, b[2], b[3]);       // /48
        yield return $"2002:{hi}:{lo}::1";
        yield return $"2001:0:{hi}:{lo}::1";
        yield return $"2001:0:808:808::{~x >> 16 & 0xffff:x}:{~x & 0xffff:x}";
    }

    private static string Bytes(params byte[] prefix)
    {
        var bytes = new byte[16];
        prefix.CopyTo(bytes, 0);
        return new IPAddress(bytes).ToString();
    }
}
