using AgentVault.Broker.Outbound;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Server;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The one pooled client webhooks are sent with: the upstream stack's rules (docs/network-guard.md) — the SSRF guard on the
/// addresses a hook's name resolves to, <c>--resolve</c> pins, TLS verified against the system store plus <c>--upstream-ca</c>,
/// no redirects, no proxy, no cookies. Each attempt's time limit is set by the sender.
/// </summary>
internal sealed class WebhookHttpClient : IDisposable
{
    public WebhookHttpClient(ServerOptions options, ILoggerFactory loggerFactory)
    {
        var connector = new OutboundConnector(
            new Dictionary<string, System.Net.IPAddress>(options.Resolve, StringComparer.OrdinalIgnoreCase),
            NetworkGuard.FromOptions(options),
            loggerFactory.CreateLogger<WebhookHttpClient>());
        Client = new HttpClient(OutboundClients.CreateHandler(connector, OutboundTrust.Load(options.UpstreamCa)), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
