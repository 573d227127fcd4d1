using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Outbound;

/// <summary>
/// The SSRF guard refused an upstream: its name resolved to (or is pinned to) an address the broker must not dial.
/// The proxy answers 403 <c>destination_blocked</c>. The message names the host and the kind of address, not the addresses.
/// It reaches the forwarder wrapped in an <see cref="HttpRequestException"/>; use <see cref="Find"/>.
/// </summary>
public sealed class DestinationBlockedException : Exception
{
    internal DestinationBlockedException(string host, int port, AddressCategory category)
        : base($"The destination {host}:{port} resolves to a {Describe(category)} address, which the broker does not dial.")
    {
        Host = host;
        Port = port;
        Category = category.ToString();
    }

    /// <summary>The host name (or address literal) of the refused destination.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The category that made the guard refuse (<c>Loopback</c>, <c>Private</c>, <c>Metadata</c>, …).</summary>
    public string Category { get; }

    /// <summary>Returns the <see cref="DestinationBlockedException"/> in <paramref name="exception"/>'s inner-exception chain, if any.</summary>
    public static DestinationBlockedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DestinationBlockedException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Loopback => "loopback",
        AddressCategory.Private => "private",
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.SharedAddressSpace => "carrier-grade NAT",
        AddressCategory.UniqueLocal => "unique-local",
        AddressCategory.Multicast => "multicast",
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.Metadata => "cloud metadata",
        _ => "reserved",
    };
}
