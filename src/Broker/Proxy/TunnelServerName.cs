using System.Security.Authentication;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// The name a tunnel's leaf certificate is minted for: always the CONNECT host. A client hello without SNI, or with one
/// that is not a DNS name (RFC 6066 §3 allows no IP literals), gets the CONNECT host's certificate; an SNI naming another
/// host fails the handshake, so an agent cannot make the broker mint (and cache) certificates for arbitrary names through
/// one admitted tunnel (docs/proxy.md#tls-interception).
/// </summary>
internal static class TunnelServerName
{
    /// <summary>The certificate name for this hello; throws <see cref="AuthenticationException"/> when the SNI names another host.</summary>
    public static string Select(string? serverName, string connectHost)
    {
        if (string.IsNullOrEmpty(serverName) || Uri.CheckHostName(serverName) != UriHostNameType.Dns)
        {
            return connectHost;
        }

        string requested;
        string fixedHost;
        try
        {
            requested = HostNames.Normalize(serverName);
            fixedHost = HostNames.Normalize(connectHost);
        }
        catch (ArgumentException ex)
        {
            throw new AuthenticationException("the TLS server name is not a valid host name", ex);
        }

        return string.Equals(requested, fixedHost, StringComparison.Ordinal)
            ? requested
            : throw new AuthenticationException($"the TLS server name '{requested}' is not the CONNECT host '{fixedHost}'");
    }
}
