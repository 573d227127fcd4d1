using System.Net;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The documented instance-metadata and platform endpoints of public clouds. They hand out the machine's credentials, so
/// the guard never dials them, whatever <c>--dev</c> or <c>--allow-network</c> say. Sources are listed in
/// docs/network-guard.md; IPv6 forms that embed one of the IPv4 addresses are caught by <see cref="AddressClassifier"/>.
/// </summary>
internal static class MetadataAddresses
{
    private static readonly IPAddress[] Addresses =
    [
        IPAddress.Parse("169.254.169.254"),     // AWS, GCP, Azure, OCI, DigitalOcean, Hetzner, OpenStack, Akamai/Linode IMDS
        IPAddress.Parse("169.254.170.2"),       // AWS ECS task metadata and credentials
        IPAddress.Parse("169.254.170.23"),      // AWS EKS Pod Identity Agent
        IPAddress.Parse("168.63.129.16"),       // Azure WireServer
        IPAddress.Parse("100.100.100.200"),     // Alibaba Cloud
        IPAddress.Parse("192.0.0.192"),         // Oracle Cloud Classic / Compute Cloud@Customer
        IPAddress.Parse("169.254.42.42"),       // Scaleway
        IPAddress.Parse("fd00:ec2::254"),       // AWS IMDS over IPv6
        IPAddress.Parse("fd00:ec2::23"),        // AWS EKS Pod Identity Agent over IPv6
        IPAddress.Parse("fd20:ce::254"),        // GCP metadata server over IPv6
        IPAddress.Parse("fd00:c1::a9fe:a9fe"),  // OCI IMDS over IPv6
        IPAddress.Parse("fd00:42::42"),         // Scaleway over IPv6
        IPAddress.Parse("fd00:a9fe:a9fe::1"),   // Akamai/Linode over IPv6
        IPAddress.Parse("fe80::a9fe:a9fe"),     // OpenStack Nova over IPv6
    ];

    /// <summary>Every listed address (for tests and docs).</summary>
    public static IReadOnlyList<IPAddress> All => Addresses;

    /// <summary>True when <paramref name="address"/> (without an IPv6 scope) is one of the listed endpoints.</summary>
    public static bool Contains(IPAddress address) => Array.IndexOf(Addresses, address) >= 0;
}
