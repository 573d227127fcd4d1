namespace AgentVault.Broker.Management;

/// <summary>Maps the management API (docs/api.md) on the API listener.</summary>
internal static class ManagementEndpointExtensions
{
    public static IEndpointRouteBuilder MapAgentVaultManagement(this IEndpointRouteBuilder endpoints) => endpoints;
}
