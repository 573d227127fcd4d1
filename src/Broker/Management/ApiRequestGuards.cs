using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Management;

/// <summary>
/// The first middleware of every API-listener request: the <c>Host</c> check of <see cref="ApiHostFilter"/> (421
/// <c>misdirected_request</c>), and the body cap of the management API (<see cref="JsonBody.MaxBytes"/>) set as Kestrel's
/// per-request limit, which holds for chunked bodies as well as for a declared <c>Content-Length</c>.
/// </summary>
internal static class ApiRequestGuards
{
    public static IApplicationBuilder UseAgentVaultApiGuards(this IApplicationBuilder app, ApiHostFilter hosts)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiRequestGuards).FullName!);
        return app.Use((HttpContext context, RequestDelegate next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = JsonBody.MaxBytes;
            }

            var host = context.Request.Host;
            if (!hosts.Allows(host.HasValue ? host.Host : null))
            {
                ManagementLog.ApiHostRefused(logger, host.Host);
                return ProblemResults.MisdirectedRequest(
                    $"this API answers only loopback host names (localhost, 127.0.0.1, [::1]) and the host of --public-api-url, not '{host.Host}'")
                    .ExecuteAsync(context);
            }

            return next(context);
        });
    }
}
