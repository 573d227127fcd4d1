using OpenTelemetry.Exporter;

namespace AgentVault.Broker.Management;

/// <summary>Maps the management API (docs/api.md) on the API listener.</summary>
internal static class ManagementEndpointExtensions
{
    public static IEndpointRouteBuilder MapAgentVaultManagement(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").AddEndpointFilter<ProblemExceptionFilter>();

        // Agent-authenticated (or admin-or-agent) routes check their own tokens.
        DiscoverEndpoints.Map(v1);
        TokenEndpoints.MapMint(v1);

        var admin = v1.MapGroup(string.Empty).AddEndpointFilter<AdminAuthFilter>();
        ApplyEndpoints.Map(admin);
        StoreEndpoints.Map(admin);
        StoreSecretEndpoints.Map(admin);
        VaultEndpoints.Map(admin);
        CredentialEndpoints.Map(admin);
        ServiceEndpoints.Map(admin);
        AgentEndpoints.Map(admin);
        TokenEndpoints.Map(admin);
        PluginEndpoints.Map(admin);
        LogEndpoints.Map(admin);

        // Anything else under /v1 (after authentication) is an unknown resource.
        admin.Map("/{**rest}", (HttpContext context) => ProblemResults.NotFound($"no such resource: {context.Request.Method} {context.Request.Path}"));

        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
