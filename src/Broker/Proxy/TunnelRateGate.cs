using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Snapshots;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Admits a CONNECT only when the agent's request rate allows one more request: the tunnel takes one token from the
/// agent's bucket before the broker answers 200 or mints a certificate, and hands it to the first request inside the
/// tunnel (<see cref="ProxyTunnelFeature.TakePrepaidToken"/>), so a tunnel with N requests costs N tokens and an empty one
/// costs one (docs/policy.md#limits).
/// </summary>
internal sealed class TunnelRateGate(RequestLimiter limiter)
{
    public ProxyRefusal? TryAdmit(AgentIdentity identity, BrokerSnapshot snapshot)
    {
        if (limiter.TryTakeAgentToken(identity.Agent, snapshot.LimitOf(identity.Agent), out var retryAfter))
        {
            return null;
        }

        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        return new ProxyRefusal(ProxyError.RateLimited, $"Limit reached (agent rate); retry after {seconds} s.", TimeSpan.FromSeconds(seconds));
    }
}
