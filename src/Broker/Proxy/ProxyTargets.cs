using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Proxy;

/// <summary>The destination of a request sent to the proxy without a tunnel.</summary>
internal static class ProxyTargets
{
    /// <summary>Absolute-form targets (RFC 9112 §3.2.2): http://, https:// (axios sends these), ws:// and wss://; null otherwise.</summary>
    public static ProxyDestination? AbsoluteDestination(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] == '/' || !Uri.TryCreate(target, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var https = uri.Scheme is "https" or "wss";
        if (!https && uri.Scheme is not ("http" or "ws"))
        {
            return null;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        return host.Length == 0 || uri.Port is < 1 or > 65535 ? null : new ProxyDestination(https, host, uri.Port);
    }
}
