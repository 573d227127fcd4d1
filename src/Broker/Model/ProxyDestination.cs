using System.Globalization;

namespace AgentVault.Broker.Model;

/// <summary>
/// The upstream a request goes to, fixed by the CONNECT line or the absolute URI; the <c>Host</c> header and SNI never change it.
/// </summary>
internal sealed class ProxyDestination
{
    public ProxyDestination(bool https, string host, int port)
    {
        Https = https;
        Host = host;
        Port = port;
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        Prefix = (https ? "https://" : "http://") + hostPart + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    public bool Https { get; }

    /// <summary>Lower-case host name or IP literal (without brackets).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary><c>https://host:port</c>, the forwarder's destination prefix.</summary>
    public string Prefix { get; }

    public override string ToString() => Prefix;

    /// <summary>Parses an authority <c>host:port</c> or <c>[v6]:port</c> (CONNECT requires the port).</summary>
    public static bool TryParseAuthority(ReadOnlySpan<char> authority, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        ReadOnlySpan<char> hostPart;
        ReadOnlySpan<char> portPart;
        if (authority.StartsWith("["))
        {
            var close = authority.IndexOf(']');
            if (close < 0 || close + 1 >= authority.Length || authority[close + 1] != ':')
            {
                return false;
            }

            hostPart = authority[1..close];
            portPart = authority[(close + 2)..];
            if (Uri.CheckHostName(hostPart.ToString()) != UriHostNameType.IPv6)
            {
                return false;
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            hostPart = authority[..colon];
            portPart = authority[(colon + 1)..];
            if (Uri.CheckHostName(hostPart.ToString()) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = hostPart.ToString().ToLowerInvariant().TrimEnd('.');
        return host.Length > 0;
    }
}
