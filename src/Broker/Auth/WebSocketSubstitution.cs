using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Auth;

/// <summary>
/// Hooks <see cref="WebSocketSubstitutingStream"/> into a request: the forwarder obtains the agent's stream through
/// <see cref="IHttpUpgradeFeature"/> (HTTP/1.1) or <see cref="IHttpExtendedConnectFeature"/> (HTTP/2), so both are wrapped.
/// </summary>
internal static class WebSocketSubstitution
{
    public static bool Wrap(HttpContext context, ByteReplacer replacer)
    {
        if (replacer.IsEmpty)
        {
            return false;
        }

        var wrapped = false;
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new SubstitutingUpgradeFeature(upgrade, replacer));
            wrapped = true;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new SubstitutingExtendedConnectFeature(connect, replacer));
            wrapped = true;
        }

        return wrapped;
    }
}
