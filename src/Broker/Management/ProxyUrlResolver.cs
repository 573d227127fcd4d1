using System.Globalization;
using AgentVault.Broker.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AgentVault.Broker.Management;

/// <summary>
/// The proxy URL agents should use: <c>--public-proxy-url</c> when set, else the host the agent used to reach the API with
/// the proxy listener's actual port (found among the server's bound addresses when <c>--proxy-listen</c> asked for port 0).
/// </summary>
internal sealed class ProxyUrlResolver(ServerOptions options, IServer server)
{
    public string? Resolve(HttpContext context)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicProxyUrl))
        {
            return options.PublicProxyUrl.TrimEnd('/');
        }

        var port = ConfiguredPort() ?? BoundProxyPort(context.Connection.LocalPort);
        if (port is null)
        {
            return null;
        }

        var host = context.Request.Host.HasValue ? context.Request.Host.Host : context.Connection.LocalIpAddress?.ToString();
        if (host is not null && host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        return $"http://{host}:{port.Value.ToString(CultureInfo.InvariantCulture)}";
    }

    private int? ConfiguredPort()
    {
        var colon = options.ProxyListen.LastIndexOf(':');
        return colon >= 0 && int.TryParse(options.ProxyListen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0 ? port : null;
    }

    private int? BoundProxyPort(int apiPort)
    {
        // Two listeners are bound: the one that did not receive this API request is the proxy.
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0 && uri.Port != apiPort)
            {
                return uri.Port;
            }
        }

        return null;
    }
}
