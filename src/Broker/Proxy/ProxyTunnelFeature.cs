using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Connection feature of a CONNECT tunnel: the fixed destination, the CONNECT-time <c>Proxy-Authorization</c> (used by requests
/// inside the tunnel that carry none) and a per-connection authentication memo.
/// </summary>
internal sealed class ProxyTunnelFeature
{
    private string? _prepaidAgent;

    public ProxyTunnelFeature(ProxyDestination destination, string? connectAuthorization, string? prepaidAgent = null)
    {
        Destination = destination;
        ConnectAuthorization = connectAuthorization;
        _prepaidAgent = prepaidAgent;
    }

    public ProxyDestination Destination { get; }

    public string? ConnectAuthorization { get; }

    public AuthCache Auth { get; } = new();

    /// <summary>The name the leaf certificate was minted for (SNI, or the CONNECT host without SNI); null for plain tunnels.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>
    /// True once, for the first request inside the tunnel, when it runs as the agent whose CONNECT already took a token of
    /// its request rate (<see cref="TunnelRateGate"/>); that request does not take another.
    /// </summary>
    public bool TakePrepaidToken(string agent) => Interlocked.Exchange(ref _prepaidAgent, null) is { } prepaid && prepaid == agent;
}
