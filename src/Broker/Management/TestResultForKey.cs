using System.Text.Json.Serialization;

namespace AgentVault.Broker.Management;

/// <summary>One line of <c>POST /v1/vaults/{v}/credentials/check</c>: key, ok, and the error (null when ok); never a value.</summary>
internal sealed record TestResultForKey(string Key, bool Ok, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error);
