using System.Data.Common;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Hosting;

/// <summary>The public endpoints of the API listener: <c>GET /healthz</c>, <c>GET /readyz</c> and <c>GET /v1/ca.pem</c>.</summary>
internal static class HealthEndpoints
{
    public const string PemContentType = "application/x-pem-file";
    private static readonly TimeSpan ReadinessProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapAgentVaultHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        endpoints.MapGet("/v1/ca.pem", (ICertificateAuthority ca) => Results.Text(ca.CertificatePem, PemContentType));
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(BrokerStartup startup, CertificateAuthority ca, IConfigRepository config, CancellationToken cancellationToken)
    {
        if (!startup.Completed || !ca.IsReady)
        {
            return NotReady("starting");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadinessProbeTimeout);
        try
        {
            await config.GetVersionAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException)
        {
            return NotReady("database unavailable");
        }

        return Results.Json(new { status = "ready" });
    }

    private static IResult NotReady(string reason) => Results.Json(new { status = "not_ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
