using System.Net;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Policy;

/// <summary>
/// The SSRF decision for one upstream address: public addresses pass; loopback, private, link-local, CGN and ULA
/// pass only with <c>--dev</c> or an <c>--allow-network</c> range; multicast, reserved and unspecified addresses only
/// with an <c>--allow-network</c> range; cloud metadata addresses never.
/// </summary>
internal sealed class NetworkGuard
{
    private readonly bool _dev;
    private readonly IPNetwork[] _allowed;

    public NetworkGuard(bool dev, IEnumerable<IPNetwork> allowNetworks)
    {
        _dev = dev;
        _allowed = [.. allowNetworks];
    }

    public static NetworkGuard FromOptions(ServerOptions options) => new(options.Dev, options.AllowNetwork);

    /// <summary>Returns the verdict for <paramref name="address"/>: allowed or not, and the category that decided it.</summary>
    public NetworkGuardVerdict Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var category = AddressClassifier.Classify(address);
        return category switch
        {
            AddressCategory.Public => new NetworkGuardVerdict(true, category),
            AddressCategory.Metadata => new NetworkGuardVerdict(false, category),
            AddressCategory.Loopback or AddressCategory.Private or AddressCategory.LinkLocal
                or AddressCategory.SharedAddressSpace or AddressCategory.UniqueLocal when _dev => new NetworkGuardVerdict(true, category),
            _ => new NetworkGuardVerdict(IsExplicitlyAllowed(address), category),
        };
    }

    private bool IsExplicitlyAllowed(IPAddress address)
    {
        if (_allowed.Length == 0)
        {
            return false;
        }

        var plain = address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        var v4 = plain.IsIPv4MappedToIPv6 ? plain.MapToIPv4() : null;
        foreach (var network in _allowed)
        {
            if (network.Contains(plain) || (v4 is not null && network.Contains(v4)))
            {
                return true;
            }
        }

        return false;
    }
}
