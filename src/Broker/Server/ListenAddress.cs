using System.Globalization;
using System.Net;

namespace AgentVault.Broker.Server;

/// <summary>A <c>HOST:PORT</c> listen address: an IP literal (IPv6 in brackets), <c>localhost</c>, or <c>*</c> / empty for every interface.</summary>
internal sealed record ListenAddress(string Host, int Port)
{
    public static bool TryParse(string? text, out ListenAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected HOST:PORT";
            return false;
        }

        text = text.Trim();
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"'{text}' is not HOST:PORT (write IPv6 addresses as [::1]:14321)";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}' is not HOST:PORT (write IPv6 addresses as [::1]:14321)";
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            error = $"'{text}' has an invalid port (0-65535; 0 picks a free port)";
            return false;
        }

        if (text.StartsWith('[') && !IPAddress.TryParse(host, out _))
        {
            error = $"'{host}' is not an IPv6 address";
            return false;
        }

        address = new ListenAddress(host, number);
        return true;
    }

    /// <summary>The address to bind: IP literals as given, <c>localhost</c> as 127.0.0.1, <c>*</c>/empty as any, other names resolved once.</summary>
    public IPAddress ResolveBindAddress()
    {
        if (Host.Length == 0 || Host == "*")
        {
            return IPAddress.IPv6Any;
        }

        if (IPAddress.TryParse(Host, out var ip))
        {
            return ip;
        }

        if (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        var addresses = Dns.GetHostAddresses(Host);
        return addresses.Length > 0 ? addresses[0] : throw new BrokerStartupException($"cannot resolve the listen host '{Host}'");
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
