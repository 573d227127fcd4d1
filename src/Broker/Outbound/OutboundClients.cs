using System.Net;
using System.Net.Security;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Server;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Outbound;

/// <summary>
/// The two pooled outbound handlers (see <see cref="IOutboundClients"/>). Upstream: SSRF guard in the connect callback,
/// no redirects, no proxy, no cookies, no decompression, HTTP/2 with several connections. Plugins: same TLS trust and
/// <c>--resolve</c> pins, no SSRF guard (store and token endpoints come from the operator), 30 s timeout.
/// </summary>
internal sealed class OutboundClients : IOutboundClients, IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(30);

    /// <param name="wrapUpstream">Handlers the upstream invoker runs above the pooled handler (the proxy's retry after a 401).</param>
    public OutboundClients(ServerOptions options, ILoggerFactory loggerFactory, Func<HttpMessageHandler, HttpMessageHandler>? wrapUpstream = null)
    {
        var logger = loggerFactory.CreateLogger<OutboundClients>();
        var trust = OutboundTrust.Load(options.UpstreamCa);
        var pins = new Dictionary<string, IPAddress>(options.Resolve, StringComparer.OrdinalIgnoreCase);
        UpstreamConnector = new OutboundConnector(pins, NetworkGuard.FromOptions(options), logger);
        PluginConnector = new OutboundConnector(pins, guard: null, logger);
        var upstream = CreateHandler(UpstreamConnector, trust);
        Upstream = new HttpMessageInvoker(wrapUpstream?.Invoke(upstream) ?? upstream, disposeHandler: true);
        Plugins = new HttpClient(CreateHandler(PluginConnector, trust), disposeHandler: true) { Timeout = PluginTimeout };
    }

    public HttpMessageInvoker Upstream { get; }

    public HttpClient Plugins { get; }

    /// <summary>The guarded connector of <see cref="Upstream"/> (exposed for tests and diagnostics).</summary>
    internal OutboundConnector UpstreamConnector { get; }

    internal OutboundConnector PluginConnector { get; }

    public void Dispose()
    {
        Upstream.Dispose();
        Plugins.Dispose();
    }

    /// <summary>A pooled handler dialling through <paramref name="connector"/> and verifying TLS with <paramref name="trust"/> (also used for webhooks).</summary>
    internal static SocketsHttpHandler CreateHandler(OutboundConnector connector, OutboundTrust trust)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = ConnectTimeout,
            ActivityHeadersPropagator = null,
            ConnectCallback = connector.ConnectAsync,
        };
        if (trust.HasExtraRoots)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trust.Validate };
        }

        return handler;
    }
}
