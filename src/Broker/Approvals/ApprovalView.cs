using System.Text.Json.Serialization;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// A held request as <c>GET /v1/approvals</c> lists it: what, who and where, never a header, a query or a body; with the
/// standing grant its approval created, if any.
/// </summary>
internal sealed record ApprovalView(
    string Id,
    string Agent,
    string Vault,
    string Service,
    string Rule,
    string Method,
    string Host,
    int Port,
    string Path,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DecidedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? DecidedAt,
    GrantView? Grant)
{
    public static ApprovalView From(HeldRequest held)
    {
        var outcome = held.Outcome;
        return new(held.Id, held.Agent, held.Vault, held.Service, held.Rule, held.Method, held.Host, held.Port, held.Path, held.Created, held.Expires,
            ApprovalRegistry.Name(held.Status), outcome?.By, outcome?.At,
            held.Grant is { } grant ? GrantView.From(grant) : null);
    }
}
