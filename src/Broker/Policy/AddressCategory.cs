namespace AgentVault.Broker.Policy;

/// <summary>What kind of address an upstream resolves to, as far as the SSRF guard is concerned.</summary>
internal enum AddressCategory
{
    /// <summary>Globally routable unicast.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>RFC 1918 (10/8, 172.16/12, 192.168/16), deprecated site-local fec0::/10, local-use NAT64 64:ff9b:1::/48.</summary>
    Private,

    /// <summary>169.254.0.0/16, fe80::/10.</summary>
    LinkLocal,

    /// <summary>Carrier-grade NAT shared space 100.64.0.0/10.</summary>
    SharedAddressSpace,

    /// <summary>IPv6 unique local addresses fc00::/7.</summary>
    UniqueLocal,

    /// <summary>224.0.0.0/4, ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0/8, ::/128 and other "this host/network" forms.</summary>
    Unspecified,

    /// <summary>Documentation, benchmarking, reserved-for-future, broadcast, protocol-assignment and other non-routable space.</summary>
    Reserved,

    /// <summary>Cloud instance metadata and platform endpoints (see <see cref="MetadataAddresses"/>), also embedded in IPv6; always blocked.</summary>
    Metadata,
}
