using System.Net;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Management;

/// <summary>
/// Which <c>Host</c> names the API answers. Listening on loopback only, it answers loopback names (<c>localhost</c>,
/// <c>*.localhost</c>, 127.0.0.0/8, <c>[::1]</c>, any port) and the host of <c>--public-api-url</c>: a page on a rebinding
/// DNS name (attacker.example resolving to 127.0.0.1) reaches the port but is refused, so it cannot read <c>/metrics</c>,
/// the CA or anything else (docs/api.md#host-names). Listening on other addresses, every name is answered. A request
/// without <c>Host</c> (HTTP/1.0) is answered: browsers always send one.
/// </summary>
internal sealed class ApiHostFilter
{
    private readonly string? _publicHost;

    private ApiHostFilter(bool enforced, string? publicHost)
    {
        Enforced = enforced;
        _publicHost = publicHost;
    }

    public bool Enforced { get; }

    public static ApiHostFilter For(ListenAddress api, string? publicApiUrl)
    {
        var publicHost = publicApiUrl is not null && Uri.TryCreate(publicApiUrl, UriKind.Absolute, out var uri) ? Normalize(uri.IdnHost) : null;
        return new ApiHostFilter(IPAddress.IsLoopback(api.ResolveBindAddress()), publicHost);
    }

    /// <summary>True when a request with this <c>Host</c> header (without its port) may be answered.</summary>
    public bool Allows(string? host)
    {
        if (!Enforced || string.IsNullOrEmpty(host))
        {
            return true;
        }

        var name = Normalize(host);
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }

        if (IPAddress.TryParse(name, out var address))
        {
            return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }

        return _publicHost is not null && string.Equals(name, _publicHost, StringComparison.Ordinal);
    }

    private static string Normalize(string host)
    {
        var name = host.Trim();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        return name.TrimEnd('.').ToLowerInvariant();
    }
}
