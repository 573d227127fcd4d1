using System.Globalization;
using System.Net;

namespace AgentVault.Broker.Tls;

/// <summary>Normalises the host a leaf certificate is minted for: lower case, no trailing dot, IDN as punycode, IPv6 without brackets.</summary>
internal static class HostNames
{
    private static readonly IdnMapping Idn = new();

    public static string Normalize(string hostName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        var host = hostName.Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out var ip))
        {
            return ip.ToString();
        }

        host = host.TrimEnd('.');
        try
        {
            host = Idn.GetAscii(host).ToLowerInvariant();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException("not a valid host name", nameof(hostName), ex);
        }

        if (host.Length is 0 or > 253 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            throw new ArgumentException("not a valid host name", nameof(hostName));
        }

        return host;
    }
}
