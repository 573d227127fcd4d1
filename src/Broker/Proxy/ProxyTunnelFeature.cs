namespace AgentVault.Broker.Proxy;

/// <summary>
/// Connection feature of a CONNECT tunnel: the fixed destination, the CONNECT-time <c>Proxy-Authorization</c> (used by requests
/// inside the tunnel that carry none) and a per-connection authentication memo.
/// </summary>
internal sealed class ProxyTunnelFeature
{
    public ProxyTunnelFeature(ProxyDestination destination, string? connectAuthorization)
    {
        Destination = destination;
        ConnectAuthorization = connectAuthorization;
    }

    public ProxyDestination Destination { get; }

    public string? ConnectAuthorization { get; }

    public AuthCache Auth { get; } = new();

    /// <summary>The name the leaf certificate was minted for (SNI, or the CONNECT host without SNI); null for plain tunnels.</summary>
    public string? TlsServerName { get; set; }
}
