using System.Globalization;
using AgentVault.Broker.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// Makes an event's console path absolute for the <c>link</c> of a notification: under <c>--public-api-url</c> when set (what
/// people use), else under the API listener's own address (its bound port when <c>--api-listen</c> asked for port 0; a
/// wildcard address reads as <c>localhost</c>).
/// </summary>
internal sealed class ConsoleLinks(ServerOptions options, IServer? server)
{
    private string? _base;

    public string For(string consolePath)
    {
        var path = consolePath.StartsWith('/') ? consolePath : "/" + consolePath;
        return Base() + path;
    }

    private string Base()
    {
        if (!string.IsNullOrWhiteSpace(options.PublicApiUrl))
        {
            return options.PublicApiUrl.TrimEnd('/');
        }

        if (_base is null && Bound() is { } bound)
        {
            // The listeners' addresses do not change while the broker runs; before they are bound, nothing is remembered.
            _base = bound;
        }

        return _base ?? "http://" + options.ApiListen;
    }

    private string? Bound()
    {
        var addresses = (server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToList();
        if (addresses.Count == 0)
        {
            return null;
        }

        // Kestrel lists its listeners in the order they were configured, the API first; a configured port picks it for sure.
        var apiPort = Port(options.ApiListen);
        var proxyPort = Port(options.ProxyListen);
        var api = addresses.Find(a => apiPort > 0 && a.Port == apiPort)
            ?? addresses.Find(a => proxyPort > 0 && a.Port != proxyPort)
            ?? addresses[0];
        var host = api.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" ? "localhost" : api.Host;
        return string.Create(CultureInfo.InvariantCulture, $"{api.Scheme}://{host}:{api.Port}");
    }

    private static int Port(string listen)
    {
        var colon = listen.LastIndexOf(':');
        return colon >= 0 && int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;
    }
}
