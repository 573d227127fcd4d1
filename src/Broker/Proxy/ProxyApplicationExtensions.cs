using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentVault.Broker.Proxy;

/// <summary>Hooks the proxy into the server: the proxy listener's connection middleware and the proxy request pipeline.</summary>
internal static class ProxyApplicationExtensions
{
    private const string ProxyConnectionKey = "agent-vault.proxy";

    /// <summary>Configures the proxy listener (CONNECT handling and TLS interception run here as connection middleware).</summary>
    public static void ConfigureProxyListener(ListenOptions listenOptions)
    {
        listenOptions.Use(next =>
        {
            var tunnel = listenOptions.ApplicationServices.GetRequiredService<ConnectTunnelMiddleware>();
            return connection =>
            {
                connection.Items[ProxyConnectionKey] = true;
                return tunnel.OnConnectionAsync(connection, next);
            };
        });
    }

    /// <summary>True for requests that arrived on the proxy listener.</summary>
    public static bool IsProxyRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ProxyConnectionKey) == true;

    /// <summary>The proxy request pipeline (authenticate, route, credentials, forward, log); terminal.</summary>
    public static IApplicationBuilder UseAgentVaultProxy(this IApplicationBuilder app)
    {
        var handler = app.ApplicationServices.GetRequiredService<ProxyRequestHandler>();
        return app.Use((HttpContext context, RequestDelegate _) => handler.InvokeAsync(context));
    }
}
