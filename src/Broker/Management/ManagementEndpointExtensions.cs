using OpenTelemetry.Exporter;

namespace AgentVault.Broker.Management;

/// <summary>Maps the management API (docs/api.md) on the API listener.</summary>
internal static class ManagementEndpointExtensions
{
    /// <summary>
    /// Maps the API; each of <paramref name="features"/> gets the <c>/v1</c> group (routes that check their own tokens) and
    /// its admin-only part, so feature folders add routes without Management knowing them.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentVaultManagement(this IEndpointRouteBuilder endpoints, params IReadOnlyList<Action<RouteGroupBuilder, RouteGroupBuilder>> features)
    {
        var v1 = endpoints.MapGroup("/v1").AddEndpointFilter<ProblemExceptionFilter>().AddEndpointFilter<AuditFilter>();

        // Agent-authenticated (or admin-or-agent) routes check their own tokens.
        DiscoverEndpoints.Map(v1);
        TokenEndpoints.MapMint(v1);

        var admin = v1.MapGroup(string.Empty).AddEndpointFilter<AccessFilter>();
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
        AuditEndpoints.Map(admin);
        SessionEndpoints.Map(admin);
        foreach (var feature in features)
        {
            feature(v1, admin);
        }

        // Anything else under /v1 (after authentication) is an unknown resource.
        admin.Map("/{**rest}", (HttpContext context) => ProblemResults.NotFound($"no such resource: {context.Request.Method} {context.Request.Path}"))
            .Needs(AccessNeed.Member);

        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
