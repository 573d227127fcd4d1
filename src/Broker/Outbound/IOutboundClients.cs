namespace AgentVault.Broker.Outbound;

/// <summary>
/// The broker's outbound HTTP stack, one pooled <see cref="SocketsHttpHandler"/> per purpose: upstream traffic (SSRF guard
/// on, redirects off) and plugin traffic to stores and token endpoints (operator-given addresses: no SSRF guard).
/// Both verify TLS against the system store plus <c>--upstream-ca</c> and honour <c>--resolve</c>.
/// </summary>
public interface IOutboundClients
{
    /// <summary>Invoker for proxied requests (used by the forwarder).</summary>
    HttpMessageInvoker Upstream { get; }

    /// <summary>Client handed to plugins (<c>SecretStoreContext.HttpClient</c>, <c>AuthSchemeContext.HttpClient</c>).</summary>
    HttpClient Plugins { get; }
}
