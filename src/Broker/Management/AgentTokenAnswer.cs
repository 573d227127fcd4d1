using System.Text.Json.Serialization;

namespace AgentVault.Broker.Management;

/// <summary>Answer of agent create and rotate: the token is shown here once and never again.</summary>
internal sealed record AgentTokenAnswer(
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Vaults,
    string Token,
    string TokenId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"AgentTokenAnswer {{ Name = {Name}, TokenId = {TokenId} }}";
}
