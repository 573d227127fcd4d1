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
        listenOptions.Use(next => connection =>
        {
            connection.Items[ProxyConnectionKey] = true;
            return next(connection);
        });
    }

    /// <summary>True for requests that arrived on the proxy listener.</summary>
    public static bool IsProxyRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ProxyConnectionKey) == true;

    /// <summary>The proxy request pipeline (route, policy, credentials, forward).</summary>
    public static IApplicationBuilder UseAgentVaultProxy(this IApplicationBuilder app) =>
        app.Use((HttpContext context, RequestDelegate _) =>
        {
            context.Response.StatusCode = StatusCodes.Status501NotImplemented;
            return Task.CompletedTask;
        });
}
