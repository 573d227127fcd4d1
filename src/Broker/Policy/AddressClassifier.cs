using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AgentVault.Broker.Policy;

/// <summary>
/// Classifies IPv4 and IPv6 addresses for the SSRF guard. IPv6 forms that embed an IPv4 address (IPv4-mapped,
/// IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) are classified by the embedded address (and a
/// metadata address embedded in a local-use NAT64 address of 64:ff9b:1::/48 is metadata),
/// so a private or metadata address cannot hide behind a translation prefix.
/// </summary>
internal static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressCategory Category)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressCategory.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressCategory.Reserved),     // IETF protocol assignments
        (IPNetwork.Parse("192.0.2.0/24"), AddressCategory.Reserved),     // TEST-NET-1
        (IPNetwork.Parse("192.88.99.0/24"), AddressCategory.Reserved),   // deprecated 6to4 relay anycast
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Reserved),    // benchmarking
        (IPNetwork.Parse("198.51.100.0/24"), AddressCategory.Reserved),  // TEST-NET-2
        (IPNetwork.Parse("203.0.113.0/24"), AddressCategory.Reserved),   // TEST-NET-3
        (IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved),      // future use + 255.255.255.255 broadcast
    ];

    private static readonly (IPNetwork Network, AddressCategory Category)[] V6Ranges =
    [
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressCategory.Private),    // local-use NAT64 (RFC 8215)
        (IPNetwork.Parse("2001:db8::/32"), AddressCategory.Reserved),    // documentation
        (IPNetwork.Parse("2001::/23"), AddressCategory.Reserved),        // IETF protocol assignments (Teredo handled before)
        (IPNetwork.Parse("3fff::/20"), AddressCategory.Reserved),        // documentation (RFC 9637)
        (IPNetwork.Parse("fc00::/7"), AddressCategory.UniqueLocal),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressCategory.Private),         // deprecated site-local
        (IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork LocalUseNat64 = IPNetwork.Parse("64:ff9b:1::/48");

    /// <summary>Returns the category of <paramref name="address"/>; anything that is not IPv4 or IPv6 is <see cref="AddressCategory.Reserved"/>.</summary>
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressCategory.Reserved;
        }

        var v6 = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        if (IsMetadata(v6))
        {
            return AddressCategory.Metadata;
        }

        if (TryGetEmbeddedV4(v6, out var embedded, out var second))
        {
            var first = ClassifyV4(embedded);
            return second is null ? first : MostSevere(first, ClassifyV4(second));
        }

        if (LocalUseNat64.Contains(v6) && LocalUseNat64Embeds(v6).Any(IsMetadata))
        {
            return AddressCategory.Metadata;
        }

        if (v6.Equals(IPAddress.IPv6Any))
        {
            return AddressCategory.Unspecified;
        }

        if (v6.Equals(IPAddress.IPv6Loopback))
        {
            return AddressCategory.Loopback;
        }

        foreach (var (network, category) in V6Ranges)
        {
            if (network.Contains(v6))
            {
                return category;
            }
        }

        return GlobalUnicast.Contains(v6) ? AddressCategory.Public : AddressCategory.Reserved;
    }

    /// <summary>
    /// Extracts the IPv4 address an IPv6 address stands for: IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
    /// NAT64 64:ff9b::/96, 6to4 2002:AABB:CCDD::/48; Teredo 2001:0::/32 yields the server (bits 32–63) and the
    /// obfuscated client (last 32 bits, inverted) addresses.
    /// </summary>
    public static bool TryGetEmbeddedV4(IPAddress v6, out IPAddress embedded, out IPAddress? second)
    {
        Span<byte> b = stackalloc byte[16];
        v6.TryWriteBytes(b, out _);
        second = null;
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var mid = BinaryPrimitives.ReadUInt32BigEndian(b[8..]);
        var last = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
        if (high == 0 && (mid == 0x0000ffff || (mid == 0 && last > 1)))
        {
            embedded = FromUInt32(last); // IPv4-mapped or IPv4-compatible (not :: or ::1)
            return true;
        }

        if (high == 0x0064ff9b00000000UL && mid == 0)
        {
            embedded = FromUInt32(last); // NAT64 well-known prefix
            return true;
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            embedded = FromUInt32(BinaryPrimitives.ReadUInt32BigEndian(b[2..])); // 6to4
            return true;
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            embedded = FromUInt32(BinaryPrimitives.ReadUInt32BigEndian(b[4..])); // Teredo server
            second = FromUInt32(~last);                                           // Teredo client, obfuscated
            return true;
        }

        embedded = IPAddress.None;
        return false;
    }

    private static AddressCategory ClassifyV4(IPAddress v4)
    {
        if (IsMetadata(v4))
        {
            return AddressCategory.Metadata;
        }

        foreach (var (network, category) in V4Ranges)
        {
            if (network.Contains(v4))
            {
                return category;
            }
        }

        return AddressCategory.Public;
    }

    // A local-use NAT64 prefix may be any of /48, /56, /64 or /96 inside 64:ff9b:1::/48, and the IPv4 address sits at a
    // different place for each (RFC 6052 §2.2, bits 64–71 skipped): a metadata address at any of them is refused.
    private static IEnumerable<IPAddress> LocalUseNat64Embeds(IPAddress v6)
    {
        var b = v6.GetAddressBytes();
        yield return new IPAddress([b[6], b[7], b[9], b[10]]);
        yield return new IPAddress([b[7], b[9], b[10], b[11]]);
        yield return new IPAddress([b[9], b[10], b[11], b[12]]);
        yield return new IPAddress([b[12], b[13], b[14], b[15]]);
    }

    private static bool IsMetadata(IPAddress address) => MetadataAddresses.Contains(address);

    private static AddressCategory MostSevere(AddressCategory a, AddressCategory b) =>
        a == AddressCategory.Metadata || b == AddressCategory.Metadata ? AddressCategory.Metadata
        : a != AddressCategory.Public ? a
        : b;

    private static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
