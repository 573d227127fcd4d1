using System.Text.Json.Serialization;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>A token as listed by <c>GET /v1/tokens</c>: never the token or its hash.</summary>
internal sealed record TokenView(
    string Id,
    string Agent,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Vault,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Label,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? RevokedAt,
    string? MintedBy)
{
    /// <remarks><see cref="MintedBy"/> is the id of the agent token that minted a scoped token; omitted for the admin's.</remarks>
    public static TokenView From(TokenRecord t) => new(t.Id, t.Agent, t.Kind, t.Vault, t.Label, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.MintedBy);
}
