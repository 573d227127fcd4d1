namespace AgentVault.Broker.Approvals;

/// <summary>A standing grant as <c>GET /v1/approvals/grants</c> lists it.</summary>
internal sealed record GrantView(string Id, string Agent, string Vault, string Service, string Rule, DateTimeOffset Created, DateTimeOffset Expires, string GrantedBy)
{
    public static GrantView From(StandingGrant grant) =>
        new(grant.Id, grant.Agent, grant.Vault, grant.Service, grant.Rule, grant.Created, grant.Expires, grant.GrantedBy);
}
