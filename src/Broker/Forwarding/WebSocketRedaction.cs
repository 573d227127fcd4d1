using System.Net;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Hooks <see cref="WebSocketRedactingStream"/> into a WebSocket request once the upstream's answer is known (the
/// forwarder asks for the agent's stream only after the response transform ran): <see cref="IHttpUpgradeFeature"/>
/// (HTTP/1.1) and <see cref="IHttpExtendedConnectFeature"/> (HTTP/2) are wrapped over whatever is there already — a
/// substitution wrapper included, so the redacting stream ends up outside it.
/// </summary>
internal static class WebSocketRedaction
{
    private const string WebSocket = "websocket";

    /// <summary>
    /// True when the upstream accepted a protocol switch — 101 to an HTTP/1.1 Upgrade or 200 to an HTTP/2 extended
    /// CONNECT (the forwarder's own test) — so the agent's connection is handed over instead of a body being copied.
    /// </summary>
    public static bool IsUpgraded(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.SwitchingProtocols ||
        (response.StatusCode == HttpStatusCode.OK && response.RequestMessage?.Method == HttpMethod.Connect && response.RequestMessage.Headers.Protocol is not null);

    /// <summary>
    /// True when the agent asks to switch to a protocol other than WebSocket (an HTTP/1.1 <c>Upgrade</c> such as SPDY or
    /// h2c, or an HTTP/2 extended CONNECT with another <c>:protocol</c>): the upgraded stream would not be inspected.
    /// </summary>
    public static bool IsOtherUpgrade(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } &&
            !string.Equals(context.Request.Headers.Upgrade.ToString(), WebSocket, StringComparison.OrdinalIgnoreCase)) ||
        (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect &&
            !string.Equals(connect.Protocol, WebSocket, StringComparison.OrdinalIgnoreCase));

    /// <summary>Wraps the features of a WebSocket request; false when nothing applies (no secret, redaction off, not a WebSocket).</summary>
    public static bool Wrap(HttpContext context, Redactor redactor, RedactionMode mode)
    {
        if (redactor.IsEmpty || mode == RedactionMode.Off)
        {
            return false;
        }

        var strict = mode == RedactionMode.Strict;
        var wrapped = false;
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade &&
            string.Equals(context.Request.Headers.Upgrade.ToString(), WebSocket, StringComparison.OrdinalIgnoreCase))
        {
            context.Features.Set<IHttpUpgradeFeature>(new RedactingUpgradeFeature(upgrade, redactor, strict));
            wrapped = true;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect &&
            string.Equals(connect.Protocol, WebSocket, StringComparison.OrdinalIgnoreCase))
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new RedactingExtendedConnectFeature(connect, redactor, strict));
            wrapped = true;
        }

        return wrapped;
    }
}
